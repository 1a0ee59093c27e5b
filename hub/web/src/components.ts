/**
 * What a fee component's code can be called on the page. The hub's ledger holds only the code: the
 * §6 settlement message's splits carry `component` and no label, and the hub's configuration has no
 * components. The one code with a meaning of its own is the handling fee's (SPEC §7: the fee is the
 * line with code `FEE`), named with the kiosk's own default wording; every other code stays a code.
 */
import { DEFAULT_FEE_LABEL, HANDLING_FEE_CODE } from "../../../kiosk/domain/lines.ts";
import type { Language } from "./i18n.ts";

export function componentName(code: string, language: Language): string | null {
  return code === HANDLING_FEE_CODE ? DEFAULT_FEE_LABEL[language] : null;
}

/** The name beside the code where one is known ("… (FEE)"), else the code alone. */
export function componentLabel(code: string, language: Language): string {
  const name = componentName(code, language);
  return name ? `${name} (${code})` : code;
}

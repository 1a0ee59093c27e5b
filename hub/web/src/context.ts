/** What every view of the page gets from the shell: words, the API, the login and the shared picks. */
import { ApiError, type HubApi, NetworkError } from "./api.ts";
import type { Language, Translate } from "./i18n.ts";
import type { StaffSession } from "./model.ts";

export interface ViewContext {
  t: Translate;
  language: Language;
  api: HubApi;
  session: StaffSession;
  /** The office and day picked last: kept across views and language switches. */
  picks: { office: string; date: string };
  /** The hub said 401: the session is gone, the shell shows the login form again. */
  sessionLost(): void;
}

/** A mounted view: its element, and how to stop its timers when another view replaces it. */
export interface View {
  element: HTMLElement;
  stop(): void;
}

/** A refusal or failure as a sentence for staff, in their language. */
export function describeError(error: unknown, context: ViewContext): string {
  const { t } = context;
  if (error instanceof NetworkError) return t("errorNetwork");
  if (error instanceof ApiError) {
    if (error.status === 401) {
      context.sessionLost();
      return t("sessionExpired");
    }
    if (error.status === 403) return t("errorForbidden");
    if (error.status === 404) return t("errorNotFound");
    if (error.status === 413) return t("errorTooLarge");
    return t("errorGeneric", { detail: error.message });
  }
  return t("errorGeneric", { detail: String(error) });
}

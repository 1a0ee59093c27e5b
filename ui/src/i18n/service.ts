/**
 * The technician's service screens' strings. Kept apart from the visitor catalogue so they travel in
 * the service console's own lazily loaded chunk, not in the visitor's bundle.
 */
import type { Language } from "../api.ts";
import { en } from "./service-en.ts";
import { pl } from "./service-pl.ts";
import { uk } from "./service-uk.ts";
import type { ServiceMessages } from "./service-messages.ts";

export type { ServiceMessages };

const CATALOGUES: Record<Language, ServiceMessages> = { pl, en, uk };

export function serviceMessages(lang: Language): ServiceMessages {
  return CATALOGUES[lang];
}

/** The visitor languages (SPEC §3 `kiosk.languages`) and a text given in them. */
export type Language = "pl" | "en" | "uk";
export const LANGUAGES: readonly Language[] = ["pl", "en", "uk"];

/** A label in the three languages; `pl` is required, the others fall back to it. */
export type Label = { pl: string; en?: string; uk?: string };

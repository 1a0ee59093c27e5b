/**
 * The words of the public-terminal layout (ui/src/layout/): the step bar, the countdown, paging, the
 * pointers to the card terminal, printer and scanner, the attract screen and the success mark. Kept
 * apart from the screens' catalogues so the layout can change without touching their wording.
 */
import type { Language, Place } from "../api.ts";

export type Step = "check" | "pay" | "receipt";

export interface LayoutText {
  steps: { label: string; names: Record<Step, string>; of: (n: number, total: number) => string };
  /** The time left, said in full ("Pozostało 15 min"); `amount` is a number and one of `units`. */
  countdown: (amount: string) => string;
  /** The units the countdown ring shows under its number: seconds below a minute, then minutes. */
  units: { seconds: string; minutes: string };
  page: { label: string; previous: string; next: string; of: (n: number, total: number) => string };
  place: Record<Place, string>;
  pinPad: (place: string) => string;
  printer: (place: string) => string;
  scanner: (place: string) => string;
  paid: string;
  attract: { title: string; touch: string };
}

const pl: LayoutText = {
  steps: {
    label: "Etapy płatności",
    names: { check: "Sprawdzenie", pay: "Płatność", receipt: "Potwierdzenie" },
    of: (n, total) => `krok ${n} z ${total}`,
  },
  countdown: (amount) => `Pozostało ${amount}`,
  units: { seconds: "s", minutes: "min" },
  page: {
    label: "Strony listy",
    previous: "Poprzednia strona",
    next: "Następna strona",
    of: (n, total) => `Strona ${n} z ${total}`,
  },
  place: {
    "below-left": "pod ekranem, po lewej",
    below: "pod ekranem",
    "below-right": "pod ekranem, po prawej",
    left: "po lewej stronie ekranu",
    right: "po prawej stronie ekranu",
  },
  pinPad: (place) => `Terminal płatniczy jest ${place}.`,
  printer: (place) => `Drukarka potwierdzeń jest ${place}.`,
  scanner: (place) => `Czytnik kodów jest ${place}.`,
  paid: "Zapłacono",
  attract: { title: "Zapłać opłatę urzędową kartą", touch: "Dotknij ekranu, aby zacząć" },
};

const en: LayoutText = {
  steps: {
    label: "Payment steps",
    names: { check: "Check", pay: "Pay", receipt: "Receipt" },
    of: (n, total) => `step ${n} of ${total}`,
  },
  countdown: (amount) => `${amount} left`,
  units: { seconds: "s", minutes: "min" },
  page: {
    label: "List pages",
    previous: "Previous page",
    next: "Next page",
    of: (n, total) => `Page ${n} of ${total}`,
  },
  place: {
    "below-left": "below the screen, on the left",
    below: "below the screen",
    "below-right": "below the screen, on the right",
    left: "to the left of the screen",
    right: "to the right of the screen",
  },
  pinPad: (place) => `The payment terminal is ${place}.`,
  printer: (place) => `The receipt printer is ${place}.`,
  scanner: (place) => `The code reader is ${place}.`,
  paid: "Paid",
  attract: { title: "Pay your office fee by card", touch: "Touch the screen to start" },
};

const uk: LayoutText = {
  steps: {
    label: "Етапи оплати",
    names: { check: "Перевірка", pay: "Оплата", receipt: "Квитанція" },
    of: (n, total) => `крок ${n} з ${total}`,
  },
  countdown: (amount) => `Залишилося ${amount}`,
  units: { seconds: "с", minutes: "хв" },
  page: {
    label: "Сторінки списку",
    previous: "Попередня сторінка",
    next: "Наступна сторінка",
    of: (n, total) => `Сторінка ${n} з ${total}`,
  },
  place: {
    "below-left": "під екраном, ліворуч",
    below: "під екраном",
    "below-right": "під екраном, праворуч",
    left: "ліворуч від екрана",
    right: "праворуч від екрана",
  },
  pinPad: (place) => `Платіжний термінал ${place}.`,
  printer: (place) => `Принтер квитанцій ${place}.`,
  scanner: (place) => `Зчитувач кодів ${place}.`,
  paid: "Оплачено",
  attract: { title: "Оплатіть адміністративний збір карткою", touch: "Торкніться екрана, щоб почати" },
};

const CATALOGUES: Record<Language, LayoutText> = { pl, en, uk };

export function layoutText(lang: Language): LayoutText {
  return CATALOGUES[lang];
}

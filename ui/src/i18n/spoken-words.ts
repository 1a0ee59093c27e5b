/**
 * The words only speech needs (issue 18 finding 1): what a focused control is and in which state,
 * the names of keypad keys, how audio mode is used. The screen's own texts stay in pl/en/uk.ts; these
 * complete them for a visitor who does not see the screen. Pure data, imported by the daemon too.
 */
import type { Language } from "../api.ts";

export interface SpokenWords {
  button: string;
  pressed: string;
  notPressed: string;
  unavailable: string;
  quantity: string;
  price: string;
  amountEntered: string;
  nothingEntered: string;
  /** "Line 2 of 5" before a line of the summary. */
  line: (n: number, of: number) => string;
  /** What the visitor hears when audio mode starts: the keys, once. */
  audioOn: string;
  /** The keys of the on-screen keypad that are not letters or digits. */
  keys: { decimal: string; slash: string; dash: string; dot: string; backspace: string };
  /** Each language's name, said in this language (a Polish voice cannot read "Українська"). */
  languages: Record<Language, string>;
}

export const SPOKEN_WORDS: Readonly<Record<Language, SpokenWords>> = {
  pl: {
    button: "przycisk",
    pressed: "włączony",
    notPressed: "wyłączony",
    unavailable: "niedostępny",
    quantity: "liczba",
    price: "cena",
    amountEntered: "wpisano",
    nothingEntered: "pole puste",
    line: (n, of) => `pozycja ${n} z ${of}`,
    audioOn:
      "Tryb głosowy. Strzałki przenoszą między przyciskami, Enter wybiera, Anuluj wraca, Korekta usuwa znak, gwiazdka powtarza.",
    keys: { decimal: "przecinek", slash: "ukośnik", dash: "kreska", dot: "kropka", backspace: "usuń znak" },
    languages: { pl: "polski", en: "angielski", uk: "ukraiński" },
  },
  en: {
    button: "button",
    pressed: "on",
    notPressed: "off",
    unavailable: "unavailable",
    quantity: "quantity",
    price: "price",
    amountEntered: "entered",
    nothingEntered: "empty",
    line: (n, of) => `item ${n} of ${of}`,
    audioOn:
      "Audio mode. Arrow keys move between buttons, Enter chooses, Cancel goes back, Clear deletes a character, the star key repeats.",
    keys: { decimal: "decimal point", slash: "slash", dash: "dash", dot: "dot", backspace: "delete" },
    languages: { pl: "Polish", en: "English", uk: "Ukrainian" },
  },
  uk: {
    button: "кнопка",
    pressed: "увімкнено",
    notPressed: "вимкнено",
    unavailable: "недоступно",
    quantity: "кількість",
    price: "ціна",
    amountEntered: "введено",
    nothingEntered: "поле порожнє",
    line: (n, of) => `позиція ${n} з ${of}`,
    audioOn:
      "Голосовий режим. Стрілки переміщують між кнопками, Enter вибирає, Скасувати повертає, Виправлення видаляє символ, зірочка повторює.",
    keys: {
      decimal: "кома",
      slash: "скісна риска",
      dash: "дефіс",
      dot: "крапка",
      backspace: "видалити символ",
    },
    languages: { pl: "польська", en: "англійська", uk: "українська" },
  },
};

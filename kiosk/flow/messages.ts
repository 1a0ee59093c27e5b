/**
 * The daemon's own words for flow errors, in the kiosk's three languages. The UI has its own,
 * richer texts keyed by the same codes; these are the fallback and what the API's problems say.
 */
import type { SessionErrorCode, SlipErrorCode } from "../../contracts/error-codes.ts";
import type { Language } from "../config/types.ts";

type Texts = Record<Language, string>;

/** Every code a session's `error` may name: a slip refused on the idle screen, or how a payment ended. */
type SessionErrorText = SlipErrorCode | SessionErrorCode;

export const ERROR_TEXTS: Record<SessionErrorText, Texts> = {
  SLIP_UNREADABLE: {
    pl: "Nie można odczytać kodu z blankietu.",
    en: "The code on the payment slip cannot be read.",
    uk: "Не вдається прочитати код з бланка.",
  },
  SLIP_UNKNOWN_KEY: {
    pl: "Blankiet nie pochodzi z tego urzędu.",
    en: "The payment slip was not issued by this office.",
    uk: "Бланк видано не цією установою.",
  },
  SLIP_SIGNATURE_INVALID: {
    pl: "Blankiet jest nieprawidłowy lub uszkodzony.",
    en: "The payment slip is invalid or damaged.",
    uk: "Бланк недійсний або пошкоджений.",
  },
  SLIP_WRONG_OFFICE: {
    pl: "Ten blankiet dotyczy innego urzędu.",
    en: "This payment slip belongs to another office.",
    uk: "Цей бланк стосується іншої установи.",
  },
  SLIP_EXPIRED: {
    pl: "Termin zapłaty tego blankietu minął.",
    en: "This payment slip has expired.",
    uk: "Термін оплати за цим бланком минув.",
  },
  SLIP_TOTAL_MISMATCH: {
    pl: "Kwoty na blankiecie się nie zgadzają.",
    en: "The amounts on the payment slip do not add up.",
    uk: "Суми в бланку не збігаються.",
  },
  SLIP_UNKNOWN_COMPONENT: {
    pl: "Blankiet zawiera opłatę, której nie można tu przyjąć.",
    en: "The payment slip contains a fee this kiosk cannot accept.",
    uk: "Бланк містить платіж, який тут не приймається.",
  },
  SLIP_ALREADY_PAID: {
    pl: "Ten blankiet został już opłacony.",
    en: "This payment slip has already been paid.",
    uk: "Цей бланк уже оплачено.",
  },
  SLIP_CANCELLED: {
    pl: "Ten blankiet został anulowany.",
    en: "This payment slip has been cancelled.",
    uk: "Цей бланк скасовано.",
  },
  SLIP_AMOUNT_CHANGED: {
    pl: "Kwota do zapłaty uległa zmianie.",
    en: "The amount to pay has changed.",
    uk: "Сума до сплати змінилася.",
  },
  SLIP_CHECK_UNAVAILABLE: {
    pl: "Nie można teraz sprawdzić blankietu.",
    en: "The payment slip cannot be checked right now.",
    uk: "Наразі неможливо перевірити бланк.",
  },
  DECLINED: { pl: "Płatność odrzucona.", en: "Payment declined.", uk: "Платіж відхилено." },
  CANCELLED: { pl: "Płatność anulowana.", en: "Payment cancelled.", uk: "Платіж скасовано." },
  NOT_CHARGED: {
    pl: "Płatność nie została zrealizowana. Karta nie została obciążona.",
    en: "The payment did not go through. Your card was not charged.",
    uk: "Платіж не виконано. З картки кошти не списано.",
  },
  TERMINAL_UNAVAILABLE: {
    pl: "Terminal płatniczy jest niedostępny.",
    en: "The card terminal is unavailable.",
    uk: "Платіжний термінал недоступний.",
  },
  PRINTER_UNAVAILABLE: {
    pl: "Drukarka potwierdzeń nie działa (np. brak papieru). Nic nie zostało pobrane. Zapłać w kasie.",
    en: "The receipt printer is not working (e.g. out of paper). Nothing was charged. Please pay at the cash desk.",
    uk: "Принтер квитанцій не працює (напр. немає паперу). Кошти не списано. Оплатіть у касі.",
  },
  RECEIPT_NOT_PRINTED: {
    pl: "Płatność przyjęta, ale nie udało się wydrukować potwierdzenia.",
    en: "Payment accepted, but the confirmation could not be printed.",
    uk: "Платіж прийнято, але підтвердження не вдалося надрукувати.",
  },
  OUT_OF_ORDER: { pl: "Urządzenie nieczynne.", en: "Out of order.", uk: "Пристрій не працює." },
  PAYMENT_UNRESOLVED: {
    pl: "Nie udało się potwierdzić, czy karta została obciążona. Nie płać ponownie. Poproś o pomoc obsługę urzędu.",
    en: "We could not confirm whether your card was charged. Do not pay again. Please ask the office staff for help.",
    uk: "Не вдалося підтвердити, чи з картки списано кошти. Не оплачуйте ще раз. Зверніться по допомогу до працівників установи.",
  },
};

const texts: Partial<Record<string, Texts>> = ERROR_TEXTS;

export function errorText(code: string, language: Language): string {
  return texts[code]?.[language] ?? code;
}

/**
 * What the terminal's numbers mean to a visitor: result codes (BMP 27, 06 1E, 84 xx) and
 * intermediate-status codes (04 FF), in the kiosk's three languages (PA00P015 §10, §3.7).
 */
import type { LocalizedText } from "../../device.ts";

const t = (pl: string, en: string, uk: string): LocalizedText => ({ pl, en, uk });

export const RESULT_APPROVED = 0x00;
export const RESULT_CARD_UNREADABLE = 0x64;
export const RESULT_PROCESSING_ERROR = 0x66;
export const RESULT_ABORTED = 0x6c;
export const RESULT_WRONG_CURRENCY = 0x6f;
export const RESULT_FUNCTION_NOT_POSSIBLE = 0x83;
export const RESULT_PLEASE_WAIT = 0x9c;
export const RESULT_ALREADY_REVERSED = 0xb4;
export const RESULT_REVERSAL_NOT_POSSIBLE = 0xb5;

const RESULTS = new Map<number, LocalizedText>([
  [0x00, t("Płatność zaakceptowana", "Payment approved", "Платіж схвалено")],
  [0x05, t("Transakcja odrzucona przez bank", "Declined by the card issuer", "Відхилено банком-емітентом")],
  [0x51, t("Brak wystarczających środków", "Insufficient funds", "Недостатньо коштів")],
  [0x55, t("Nieprawidłowy PIN", "Incorrect PIN", "Неправильний PIN")],
  [0x64, t("Nie można odczytać karty", "The card cannot be read", "Неможливо зчитати картку")],
  [0x65, t("Brak danych karty", "No card data", "Немає даних картки")],
  [0x66, t("Błąd przetwarzania", "Processing error", "Помилка обробки")],
  [
    0x6a,
    t(
      "Pamięć transakcji terminala pełna",
      "Terminal turnover file full",
      "Пам'ять транзакцій терміналу заповнена",
    ),
  ],
  [
    0x6b,
    t(
      "Funkcja wyłączona w terminalu",
      "Function deactivated on the terminal",
      "Функцію вимкнено в терміналі",
    ),
  ],
  [0x6c, t("Płatność przerwana", "Payment cancelled", "Платіж скасовано")],
  [0x6e, t("Karta zablokowana", "Card blocked", "Картку заблоковано")],
  [0x6f, t("Nieprawidłowa waluta", "Wrong currency", "Неправильна валюта")],
  [0x71, t("Brak wystarczających środków", "Insufficient funds", "Недостатньо коштів")],
  [0x72, t("Błąd chipu karty", "Card chip error", "Помилка чипа картки")],
  [0x73, t("Nieprawidłowe dane karty", "Card data incorrect", "Неправильні дані картки")],
  [0x77, t("Zamknięcie dnia niemożliwe", "End-of-day not possible", "Закриття дня неможливе")],
  [0x78, t("Karta wygasła", "Card expired", "Термін дії картки минув")],
  [0x79, t("Karta jeszcze nieważna", "Card not yet valid", "Картка ще не дійсна")],
  [0x7a, t("Nieznana karta", "Card unknown", "Невідома картка")],
  [0x7d, t("Błąd komunikacji", "Communication error", "Помилка зв'язку")],
  [0x83, t("Funkcja niedostępna", "Function not possible", "Функція недоступна")],
  [0x85, t("Brak klucza w terminalu", "Key missing", "Відсутній ключ")],
  [0x89, t("Klawiatura PIN uszkodzona", "PIN pad defective", "Клавіатура PIN несправна")],
  [0x9a, t("Błąd protokołu terminala", "Terminal protocol error", "Помилка протоколу терміналу")],
  [0x9b, t("Błąd połączenia z bankiem", "Host communication fault", "Помилка зв'язку з банком")],
  [0x9c, t("Proszę czekać", "Please wait", "Будь ласка, зачекайте")],
  [0xa0, t("Odbiorca niegotowy", "Receiver not ready", "Отримувач не готовий")],
  [0xa1, t("Bank nie odpowiada", "The bank does not respond", "Банк не відповідає")],
  [0xa3, t("Brak połączenia z bankiem", "No connection to the bank", "Немає з'єднання з банком")],
  [0xb4, t("Transakcja już anulowana", "Already reversed", "Транзакцію вже скасовано")],
  [0xb5, t("Anulowanie niemożliwe", "Reversal not possible", "Скасування неможливе")],
  [0xc2, t("Terminal wymaga diagnostyki", "Diagnosis required", "Потрібна діагностика терміналу")],
  [0xc3, t("Przekroczono maksymalną kwotę", "Maximum amount exceeded", "Перевищено максимальну суму")],
  [
    0xc5,
    t("Metoda płatności nieobsługiwana", "Payment method not supported", "Спосіб оплати не підтримується"),
  ],
  [0xc6, t("Waluta nieobsługiwana", "Currency not applicable", "Валюта не підтримується")],
  [0xc8, t("Kwota zbyt mała", "Amount too small", "Сума занадто мала")],
  [0xcc, t("Drukarka niegotowa", "Printer not ready", "Принтер не готовий")],
  [0xdc, t("Karta włożona", "Card inserted", "Картку вставлено")],
  [0xe2, t("Czytnik kart uszkodzony", "Card reader defective", "Зчитувач карток несправний")],
  [0xf0, t("Wymagane zamknięcie dnia", "End-of-day batch open", "Потрібне закриття дня")],
  [0xff, t("Błąd systemu terminala", "Terminal system error", "Системна помилка терміналу")],
]);

const HOST_DECLINE = t("Transakcja odrzucona przez bank", "Declined by the bank", "Відхилено банком");
const UNKNOWN_RESULT = t("Transakcja odrzucona", "Transaction declined", "Транзакцію відхилено");

/** The visitor-facing meaning of a result code; host codes 01–63 without their own entry read "declined by the bank". */
export function resultMessage(code: number, hostText?: string): LocalizedText {
  const known = RESULTS.get(code);
  const base = known ?? (code >= 0x01 && code <= 0x63 ? HOST_DECLINE : UNKNOWN_RESULT);
  if (!hostText || code === 0) return base;
  // The bank's own words are shown as they came, after our sentence.
  return { pl: `${base.pl}: ${hostText}`, en: `${base.en}: ${hostText}`, uk: `${base.uk}: ${hostText}` };
}

const INTERMEDIATE = new Map<number, LocalizedText>([
  [
    0x00,
    t("Potwierdź kwotę na terminalu", "Confirm the amount on the terminal", "Підтвердіть суму на терміналі"),
  ],
  [0x01, t("Patrz na terminal", "Watch the PIN pad", "Дивіться на термінал")],
  [0x02, t("Patrz na terminal", "Watch the PIN pad", "Дивіться на термінал")],
  [0x03, t("Operacja nieakceptowana", "Not accepted", "Не прийнято")],
  [0x04, t("Łączenie z bankiem…", "Contacting the bank…", "З'єднання з банком…")],
  [0x05, t("Anulowanie transakcji…", "Sending auto-reversal…", "Скасування транзакції…")],
  [0x07, t("Karta nieobsługiwana", "Card not accepted", "Картка не приймається")],
  [0x08, t("Nieznana karta", "Card unknown", "Невідома картка")],
  [0x09, t("Karta wygasła", "Card expired", "Термін дії картки минув")],
  [
    0x0a,
    t(
      "Przyłóż, włóż lub przeciągnij kartę",
      "Tap, insert or swipe your card",
      "Прикладіть, вставте або проведіть картку",
    ),
  ],
  [0x0b, t("Wyjmij kartę", "Please remove your card", "Вийміть картку")],
  [0x0c, t("Nie można odczytać karty", "The card cannot be read", "Неможливо зчитати картку")],
  [0x0d, t("Błąd przetwarzania", "Processing error", "Помилка обробки")],
  [0x0e, t("Proszę czekać…", "Please wait…", "Будь ласка, зачекайте…")],
  [0x0f, t("Automatyczne zamknięcie dnia", "Automatic end-of-day", "Автоматичне закриття дня")],
  [0x10, t("Nieważna karta", "Invalid card", "Недійсна картка")],
  [0x12, t("Awaria systemu", "System malfunction", "Збій системи")],
  [0x13, t("Płatność niemożliwa", "Payment not possible", "Платіж неможливий")],
  [0x14, t("Brak wystarczających środków", "Insufficient funds", "Недостатньо коштів")],
  [0x15, t("Nieprawidłowy PIN", "Incorrect PIN", "Неправильний PIN")],
  [0x17, t("Proszę czekać…", "Please wait…", "Будь ласка, зачекайте…")],
  [0x18, t("Przekroczono limit prób PIN", "PIN try limit exceeded", "Перевищено кількість спроб PIN")],
  [0x19, t("Nieprawidłowe dane karty", "Card data incorrect", "Неправильні дані картки")],
  [0x1c, t("Płatność zaakceptowana", "Approved", "Схвалено")],
  [0x1d, t("Odmowa", "Declined", "Відхилено")],
  [0x2c, t("Wybierz aplikację karty", "Select the card application", "Виберіть застосунок картки")],
  [0x68, t("Wykryto kartę", "Card detected", "Картку виявлено")],
  [0xe0, t("Wybierz aplikację karty", "Select the card application", "Виберіть застосунок картки")],
  [0xe1, t("Wybierz język", "Select a language", "Виберіть мову")],
  [0xf1, t("Tryb offline", "Offline", "Офлайн")],
  [0xf2, t("Łączenie z bankiem…", "Online", "З'єднання з банком…")],
  [0xf3, t("Transakcja offline", "Offline transaction", "Офлайн-транзакція")],
]);

const REMOVE_CARD = t("Wyjmij kartę", "Please remove your card", "Вийміть картку");
const FOLLOW_TERMINAL = t(
  "Postępuj zgodnie z poleceniami terminala",
  "Follow the terminal's instructions",
  "Дотримуйтесь вказівок терміналу",
);

/** Intermediate status for the screen; 41–5D are 01–1D plus "remove card"; FF carries the text in TLV 24. */
export function intermediateMessage(code: number, displayText?: string): LocalizedText {
  if (displayText) return { pl: displayText, en: displayText, uk: displayText };
  const direct = INTERMEDIATE.get(code);
  if (direct) return direct;
  if (code >= 0x41 && code <= 0x5d) {
    const base = INTERMEDIATE.get(code - 0x40);
    if (base) {
      return {
        pl: `${base.pl}. ${REMOVE_CARD.pl}`,
        en: `${base.en}. ${REMOVE_CARD.en}`,
        uk: `${base.uk}. ${REMOVE_CARD.uk}`,
      };
    }
    return REMOVE_CARD;
  }
  return FOLLOW_TERMINAL;
}

/** Terminal status codes of a Status-Enquiry completion (PA00P015 §11), for technicians. */
const TERMINAL_STATUS = new Map<number, string>([
  [0x00, "ready"],
  [0x51, "initialisation required"],
  [0x62, "date/time incorrect"],
  [0x9c, "please wait"],
  [0x9d, "partial issue of goods"],
  [0xb1, "memory full"],
  [0xb2, "merchant journal full"],
  [0xc2, "diagnosis required"],
  [0xcc, "printer not ready"],
  [0xdc, "card inserted"],
  [0xdf, "out of order"],
  [0xe1, "card not completely removed"],
  [0xe2, "card reader defective"],
  [0xf0, "reconciliation required"],
  [0xf6, "OPT data missing"],
]);

export function terminalStatusText(code: number): string {
  return TERMINAL_STATUS.get(code) ?? `terminal status 0x${code.toString(16).padStart(2, "0")}`;
}

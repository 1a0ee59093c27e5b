/**
 * What the cashier does about a refusal at the attended cash desk (SPEC §10), in pl, en and uk. The
 * kiosk's "what to do" texts (messages.ts) speak to a visitor ("pay at the cash desk"); these speak
 * to the cashier, and are shown under the refusal's title. Every slip code of SPEC §1 has its text
 * (the type makes a missing one a type error), and so do the device refusals the desk meets: a payment
 * refused before any charge (terminal or printer not ready), a copy not printed, a void or an
 * end-of-day the terminal did not confirm, a payment that ended with a session error, and the desk out
 * of order (the flow then closes a basket awaiting payment: its slips are scanned again).
 */
import type { Language } from "../api.ts";
import type { SessionErrorCode, SlipErrorCode } from "../../../contracts/error-codes.ts";

/**
 * A device refusal of an API call, by what the cashier was doing. A payment refused with
 * DEVICE_UNAVAILABLE may be the terminal (off, busy) or the desk out of order (its printer), so
 * `terminal` names both; PRINTER_UNAVAILABLE is the printer's alone, and the printer's answer that
 * refused the payment has also put the desk out of order, which closed the basket: its advice says to
 * scan the slips again. `outOfOrder` is any other call (a scan, a basket) refused while the desk is out
 * of order, and is also said under the basket's state while the desk is out of order.
 */
export type DeskDeviceProblem = "terminal" | "printer" | "copy" | "void" | "endOfDay" | "outOfOrder";

export interface DeskAdvice {
  /** Under the kiosk's translated title of each slip code. */
  slip: Record<SlipErrorCode, string>;
  /** SPEC §1a: when, where and for how much a slip was paid (`device` is the kiosk or desk id). */
  paidWhen: (when: string, device: string, total: string) => string;
  /** The payment was taken on this desk (its `reprint`): a copy can be printed here. */
  paidCopy: string;
  copy: string;
  copyPrinted: string;
  /** Title and what to do for a device refusal. */
  device: Record<DeskDeviceProblem, { title: string; todo: string }>;
  /** Under the basket's state, when a payment ended with one of these. */
  session: Partial<Record<SessionErrorCode, string>>;
}

const pl: DeskAdvice = {
  slip: {
    SLIP_UNREADABLE:
      "Zeskanuj kod jeszcze raz, z blankietem płasko. Jeśli nadal się nie odczytuje, odeślij klienta do referenta, który wystawił blankiet, po nowy wydruk.",
    SLIP_UNKNOWN_KEY:
      "Nie przyjmuj tej płatności. Blankiet podpisano kluczem, którego kasa nie zna: zgłoś to do działu informatyki urzędu, a klienta odeślij do referenta po nowy blankiet.",
    SLIP_SIGNATURE_INVALID:
      "Nie przyjmuj tej płatności: blankiet mógł zostać zmieniony. Zgłoś to do działu informatyki urzędu, a klienta odeślij do referenta po nowy blankiet.",
    SLIP_WRONG_OFFICE:
      "Ten blankiet należy do innego urzędu: tu nie można go opłacić. Klient płaci w urzędzie, który go wystawił.",
    SLIP_EXPIRED: "Termin minął: odeślij klienta do referenta po nowy blankiet z aktualnym terminem.",
    SLIP_TOTAL_MISMATCH: "Nie przyjmuj tej płatności. Odeślij klienta do referenta po poprawiony blankiet.",
    SLIP_UNKNOWN_COMPONENT:
      "Kasa nie zna jednej z opłat na blankiecie (nie ma jej w dzisiejszym cenniku). Odeślij klienta do referenta; jeśli to się powtarza, zgłoś to do działu informatyki.",
    SLIP_ALREADY_PAID:
      "Nie pobieraj opłaty ponownie. Jeśli klient potrzebuje potwierdzenia, odeślij go do referenta.",
    SLIP_CANCELLED: "Sprawa została anulowana w systemie urzędu: odeślij klienta do referenta.",
    SLIP_AMOUNT_CHANGED:
      "Kwota w systemie urzędu jest inna niż na blankiecie: odeślij klienta do referenta po nowy blankiet.",
    SLIP_CHECK_UNAVAILABLE:
      "System urzędu nie odpowiada. Zeskanuj blankiet ponownie za chwilę; jeśli to się powtarza, zgłoś to do działu informatyki.",
  },
  paidWhen: (when, device, total) => `Opłacono ${when} na stanowisku ${device}, kwota ${total}.`,
  paidCopy:
    "Nie pobieraj opłaty ponownie. Opłacono na tym stanowisku: możesz wydrukować klientowi kopię potwierdzenia.",
  copy: "Drukuj kopię potwierdzenia",
  copyPrinted: "Kopia potwierdzenia jest drukowana.",
  device: {
    terminal: {
      title: "Terminal płatniczy lub drukarka kasy nie są gotowe. Nie pobrano pieniędzy.",
      todo: "Sprawdź, czy terminal jest włączony i podłączony, a drukarka ma papier i zamkniętą pokrywę; odczekaj chwilę i naciśnij ponownie „Zapłać kartą”. Jeśli to nie pomoże, zgłoś awarię serwisowi.",
    },
    printer: {
      title: "Drukarka kasy nie jest gotowa. Nie pobrano pieniędzy.",
      todo: "Kasa jest nieczynna, a koszyk został zamknięty. Sprawdź, czy drukarka jest włączona, ma papier i zamkniętą pokrywę. Gdy kasa wróci do pracy, zeskanuj blankiety ponownie i naciśnij „Zapłać kartą”. Jeśli kasa nie wraca do pracy, zgłoś awarię serwisowi.",
    },
    copy: {
      title: "Kopii nie wydrukowano.",
      todo: "Sprawdź papier i pokrywę drukarki i spróbuj ponownie.",
    },
    void: {
      title: "Terminal nie potwierdził anulowania: płatność pozostaje przyjęta.",
      todo: "Nie zwracaj pieniędzy w inny sposób. Sprawdź terminal i spróbuj anulować ponownie; jeśli to nie pomoże, zgłoś to do biura.",
    },
    endOfDay: {
      title: "Terminal nie zamknął dnia: zmiana pozostaje otwarta.",
      todo: "Sprawdź, czy terminal jest włączony i podłączony, i zamknij zmianę ponownie.",
    },
    outOfOrder: {
      title: "Kasa jest chwilowo nieczynna: terminal lub drukarka nie są gotowe.",
      todo: "Sprawdź, czy terminal jest włączony i podłączony, a drukarka ma papier i zamkniętą pokrywę. Kasa wraca do pracy sama, gdy urządzenia są gotowe; jeśli nie wraca, zgłoś awarię serwisowi. Koszyk otwarty w tej chwili został zamknięty i nic za niego nie pobrano: gdy kasa wróci do pracy, zeskanuj jego blankiety ponownie.",
    },
  },
  session: {
    DECLINED:
      "Nie pobrano pieniędzy. Klient może spróbować ponownie tą lub inną kartą („Zapłać kartą”) albo anuluj koszyk.",
    TERMINAL_UNAVAILABLE:
      "Nie pobrano pieniędzy. Sprawdź, czy terminal jest włączony i podłączony, i spróbuj ponownie.",
    CANCELLED: "Nie pobrano pieniędzy. Możesz spróbować ponownie albo anulować koszyk.",
    NOT_CHARGED: "Nie pobrano pieniędzy. Możesz spróbować ponownie albo anulować koszyk.",
    RECEIPT_NOT_PRINTED:
      "Płatność przyjęta, ale potwierdzenie się nie wydrukowało: sprawdź papier i wydrukuj kopię.",
  },
};

const en: DeskAdvice = {
  slip: {
    SLIP_UNREADABLE:
      "Scan the code again with the slip lying flat. If it still cannot be read, send the client to the clerk who issued the slip for a new print.",
    SLIP_UNKNOWN_KEY:
      "Do not accept this payment. The slip was signed with a key this desk does not know: report it to the office's IT, and send the client to the clerk for a new slip.",
    SLIP_SIGNATURE_INVALID:
      "Do not accept this payment: the slip may have been altered. Report it to the office's IT, and send the client to the clerk for a new slip.",
    SLIP_WRONG_OFFICE:
      "This slip belongs to another office and cannot be paid here. The client pays at the office that issued it.",
    SLIP_EXPIRED: "Its date has passed: send the client to the clerk for a new slip with a current date.",
    SLIP_TOTAL_MISMATCH: "Do not accept this payment. Send the client to the clerk for a corrected slip.",
    SLIP_UNKNOWN_COMPONENT:
      "One of the slip's fees is not in today's price list of this desk. Send the client to the clerk; if it happens again, report it to the office's IT.",
    SLIP_ALREADY_PAID:
      "Do not take the payment again. If the client needs a confirmation, send them to the clerk.",
    SLIP_CANCELLED: "The case was cancelled in the office's system: send the client to the clerk.",
    SLIP_AMOUNT_CHANGED:
      "The office's system holds another amount than the slip: send the client to the clerk for a new slip.",
    SLIP_CHECK_UNAVAILABLE:
      "The office's system is not answering. Scan the slip again in a moment; if it keeps happening, report it to the office's IT.",
  },
  paidWhen: (when, device, total) => `Paid ${when} at desk or kiosk ${device}, amount ${total}.`,
  paidCopy:
    "Do not take the payment again. It was paid at this desk: you can print the client a copy of the confirmation.",
  copy: "Print a copy of the confirmation",
  copyPrinted: "The copy of the confirmation is printing.",
  device: {
    terminal: {
      title: "The card terminal or the desk's printer is not ready. Nothing was charged.",
      todo: "Check that the terminal is on and connected and that the printer has paper and its cover closed; wait a moment and press “Pay by card” again. If that does not help, report the fault to the service technician.",
    },
    printer: {
      title: "The desk's printer is not ready. Nothing was charged.",
      todo: "The desk is out of order and the basket was closed. Check that the printer is switched on, has paper and its cover closed. Once the desk is back in service, scan the slips again and press “Pay by card”. If the desk does not come back, report the fault to the service technician.",
    },
    copy: {
      title: "The copy was not printed.",
      todo: "Check the printer's paper and cover and try again.",
    },
    void: {
      title: "The terminal did not confirm the void: the payment stays taken.",
      todo: "Do not refund the money any other way. Check the terminal and void again; if that does not help, tell the back office.",
    },
    endOfDay: {
      title: "The terminal did not close the day: the shift stays open.",
      todo: "Check that the terminal is on and connected, and close the shift again.",
    },
    outOfOrder: {
      title: "The cash desk is out of order for now: the terminal or the printer is not ready.",
      todo: "Check that the terminal is on and connected and that the printer has paper and its cover closed. The desk comes back by itself once they are ready; if it does not, report the fault to the service technician. A basket that was open then was closed and nothing was charged for it: once the desk is back, scan its slips again.",
    },
  },
  session: {
    DECLINED:
      "Nothing was charged. The client may try again with this or another card (“Pay by card”), or cancel the basket.",
    TERMINAL_UNAVAILABLE: "Nothing was charged. Check that the terminal is on and connected, and try again.",
    CANCELLED: "Nothing was charged. You can try again or cancel the basket.",
    NOT_CHARGED: "Nothing was charged. You can try again or cancel the basket.",
    RECEIPT_NOT_PRINTED:
      "The payment was taken but the confirmation did not print: check the paper and print a copy.",
  },
};

const uk: DeskAdvice = {
  slip: {
    SLIP_UNREADABLE:
      "Відскануйте код ще раз, поклавши бланк рівно. Якщо він і далі не зчитується, направте клієнта до працівника, який видав бланк, по новий друк.",
    SLIP_UNKNOWN_KEY:
      "Не приймайте цю оплату. Бланк підписано ключем, якого каса не знає: повідомте ІТ-відділ установи, а клієнта направте до працівника по новий бланк.",
    SLIP_SIGNATURE_INVALID:
      "Не приймайте цю оплату: бланк міг бути змінений. Повідомте ІТ-відділ установи, а клієнта направте до працівника по новий бланк.",
    SLIP_WRONG_OFFICE:
      "Цей бланк належить іншій установі, тут його оплатити не можна. Клієнт платить в установі, яка його видала.",
    SLIP_EXPIRED: "Строк минув: направте клієнта до працівника по новий бланк з актуальним строком.",
    SLIP_TOTAL_MISMATCH: "Не приймайте цю оплату. Направте клієнта до працівника по виправлений бланк.",
    SLIP_UNKNOWN_COMPONENT:
      "Одного зі зборів на бланку немає в сьогоднішньому прейскуранті каси. Направте клієнта до працівника; якщо це повторюється, повідомте ІТ-відділ.",
    SLIP_ALREADY_PAID:
      "Не приймайте оплату повторно. Якщо клієнтові потрібне підтвердження, направте його до працівника.",
    SLIP_CANCELLED: "Справу скасовано в системі установи: направте клієнта до працівника.",
    SLIP_AMOUNT_CHANGED:
      "У системі установи інша сума, ніж на бланку: направте клієнта до працівника по новий бланк.",
    SLIP_CHECK_UNAVAILABLE:
      "Система установи не відповідає. Відскануйте бланк ще раз за хвилину; якщо це повторюється, повідомте ІТ-відділ.",
  },
  paidWhen: (when, device, total) => `Оплачено ${when} на робочому місці ${device}, сума ${total}.`,
  paidCopy:
    "Не приймайте оплату повторно. Оплачено на цьому робочому місці: можна надрукувати клієнтові копію підтвердження.",
  copy: "Друкувати копію підтвердження",
  copyPrinted: "Копія підтвердження друкується.",
  device: {
    terminal: {
      title: "Платіжний термінал або принтер каси не готові. Гроші не списано.",
      todo: "Перевірте, чи термінал увімкнено й підключено, а в принтері є папір і закрита кришка; зачекайте хвилину й знову натисніть «Оплатити карткою». Якщо це не допоможе, повідомте сервіс про несправність.",
    },
    printer: {
      title: "Принтер каси не готовий. Гроші не списано.",
      todo: "Каса не працює, а кошик закрито. Перевірте, чи принтер увімкнено, чи є в ньому папір і чи закрита кришка. Коли каса відновить роботу, відскануйте бланки ще раз і натисніть «Оплатити карткою». Якщо каса не відновлює роботу, повідомте сервіс про несправність.",
    },
    copy: {
      title: "Копію не надруковано.",
      todo: "Перевірте папір і кришку принтера та спробуйте ще раз.",
    },
    void: {
      title: "Термінал не підтвердив анулювання: платіж залишається прийнятим.",
      todo: "Не повертайте гроші іншим способом. Перевірте термінал і анулюйте ще раз; якщо це не допоможе, повідомте бухгалтерію.",
    },
    endOfDay: {
      title: "Термінал не закрив день: зміна залишається відкритою.",
      todo: "Перевірте, чи термінал увімкнено й підключено, і закрийте зміну ще раз.",
    },
    outOfOrder: {
      title: "Каса тимчасово не працює: термінал або принтер не готові.",
      todo: "Перевірте, чи термінал увімкнено й підключено, а в принтері є папір і закрита кришка. Каса відновить роботу сама, коли пристрої будуть готові; якщо ні, повідомте сервіс про несправність. Кошик, відкритий у цей момент, закрито, гроші за нього не списано: коли каса відновить роботу, відскануйте його бланки ще раз.",
    },
  },
  session: {
    DECLINED:
      "Гроші не списано. Клієнт може спробувати ще раз цією або іншою карткою («Оплатити карткою»), або скасуйте кошик.",
    TERMINAL_UNAVAILABLE:
      "Гроші не списано. Перевірте, чи термінал увімкнено й підключено, і спробуйте ще раз.",
    CANCELLED: "Гроші не списано. Можна спробувати ще раз або скасувати кошик.",
    NOT_CHARGED: "Гроші не списано. Можна спробувати ще раз або скасувати кошик.",
    RECEIPT_NOT_PRINTED:
      "Платіж прийнято, але підтвердження не надруковано: перевірте папір і надрукуйте копію.",
  },
};

const ADVICE: Record<Language, DeskAdvice> = { pl, en, uk };

export function deskAdvice(lang: Language): DeskAdvice {
  return ADVICE[lang];
}

/** The cash desk's words (SPEC §10), for a clerk: Polish, English and Ukrainian. */
import type { Language } from "../api.ts";

export interface DeskMessages {
  title: string;
  language: string;
  login: { heading: string; cashier: string; pin: string; open: string };
  shift: (name: string, id: string) => string;
  scan: { label: string; hint: string; add: string };
  service: {
    heading: string;
    code: string;
    quantity: string;
    amount: string;
    reference: string;
    add: string;
    unknown: string;
    badAmount: string;
    /** A price-list service the daemon refused, with what to change (its 422 lists each field's rule and bounds). */
    amountRange: (min: string, max: string) => string;
    needsReference: (what: string, field: string) => string;
    tooMany: (max: number) => string;
  };
  basket: {
    heading: string;
    empty: string;
    slip: (slip: string, caseRef: string) => string;
    services: string;
    fee: string;
    total: string;
    item: string;
    amount: string;
    /** A transfer code's line whose amount is still to be entered (SPEC §1b `000000`), and the total meanwhile. */
    amountPending: string;
    totalPending: string;
    /** The field for that amount, with the range the service allows, and its button. */
    openAmount: (min: string, max: string) => string;
    setAmount: string;
    pay: string;
    cancel: string;
    next: string;
    reprint: string;
  };
  state: Record<string, string>;
  payments: {
    heading: string;
    none: string;
    time: string;
    id: string;
    total: string;
    status: string;
    void: string;
  };
  /** The cashier's own closed shifts (newest first, a page at a time), each with its report's PDF. */
  history: {
    heading: string;
    show: string;
    none: string;
    shift: string;
    opened: string;
    closed: string;
    count: string;
    total: string;
    pdf: string;
    /** The PDF button's accessible name: which shift's report it fetches. */
    pdfOf: (id: string) => string;
    newer: string;
    older: string;
    /** "1–10 of 23". */
    range: (first: number, last: number, total: number) => string;
  };
  voidForm: {
    heading: (id: string) => string;
    pin: string;
    reason: string;
    confirm: string;
    back: string;
    done: string;
  };
  close: {
    heading: string;
    /** Opens the confirmation (its words end in "…": a dialog follows). */
    button: string;
    report: string;
    newShift: string;
    /** The confirmation: what will be closed, and whether the terminal's day closes with it. */
    confirmHeading: string;
    summary: (count: number, total: string) => string;
    voids: (count: number, total: string) => string;
    lastShift: string;
    lastShiftYes: string;
    lastShiftNo: string;
    explain: string;
    /** The configuration's `endOfDay.time`: the terminal closes the day by itself then. */
    scheduled: (time: string) => string;
    unanswered: string;
    confirm: string;
    back: string;
    /** The closed shift's report as PDF, and for how long the page can still fetch it. */
    pdf: string;
    pdfHint: string;
  };
  report: {
    count: string;
    total: string;
    voids: string;
    recipients: string;
    components: string;
    cards: string;
    endOfDay: string;
    terminal: string;
    desk: string;
    match: string;
    mismatch: string;
    printed: string;
    /** Column headers of the per-recipient, per-component and per-card tables. */
    recipient: string;
    component: string;
    card: string;
    number: string;
    amount: string;
  };
  approved: string;
  reversed: string;
  /** Refusals in the cashier's words (never the daemon's English sentence or its code). */
  problems: {
    wrongPin: string;
    lockedOut: string;
    noShift: string;
    inBasket: string;
    closeRefused: string;
    /** The closed shift's token no longer reads its report (30 minutes over): where to find it instead. */
    pdfExpired: string;
    voidIncomplete: string;
    voidNotFound: string;
    voidRefused: string;
    offline: string;
  };
}

const plProblems: DeskMessages["problems"] = {
  wrongPin: "Nieprawidłowy identyfikator kasjera lub PIN.",
  lockedOut: "Zbyt wiele błędnych PIN-ów. Spróbuj ponownie za kilka minut.",
  noShift: "Zmiana nie jest otwarta na tej karcie. Otwórz zmianę (identyfikator i PIN).",
  inBasket: "Ten blankiet jest już w tym koszyku.",
  closeRefused:
    "Zmiany nie można teraz zamknąć: koszyk jest otwarty albo płatność na terminalu nie jest rozstrzygnięta. Przyjmij płatność lub anuluj koszyk i spróbuj ponownie.",
  pdfExpired:
    "Tego raportu nie można już pobrać tutaj (minęło 30 minut od zamknięcia zmiany). Otwórz zmianę i pobierz go z listy „Moje zamknięte zmiany”.",
  voidIncomplete: "Podaj PIN i powód anulowania (co najmniej 3 znaki).",
  voidNotFound: "Tej płatności nie przyjęto na tej zmianie: anulować ją może biuro.",
  voidRefused: "Tej płatności nie można teraz anulować (może już jest anulowana).",
  offline: "Brak połączenia z usługą kasy. Sprawdź, czy działa, i spróbuj ponownie.",
};

const enProblems: DeskMessages["problems"] = {
  wrongPin: "Wrong cashier id or PIN.",
  lockedOut: "Too many wrong PINs. Try again in a few minutes.",
  noShift: "No shift is open in this tab. Open a shift (cashier id and PIN).",
  inBasket: "This slip is already in this basket.",
  closeRefused:
    "The shift cannot close now: a basket is open or a payment at the terminal is not settled. Take the payment or cancel the basket, then try again.",
  pdfExpired:
    "This report can no longer be downloaded here (30 minutes have passed since the shift closed). Open a shift and download it from “My closed shifts”.",
  voidIncomplete: "Enter the PIN and a reason for the void (at least 3 characters).",
  voidNotFound: "This payment was not taken in this shift: the back office can void it.",
  voidRefused: "This payment cannot be voided now (it may be voided already).",
  offline: "No connection to the cash desk service. Check that it runs and try again.",
};

const ukProblems: DeskMessages["problems"] = {
  wrongPin: "Неправильний ідентифікатор касира або PIN.",
  lockedOut: "Забагато неправильних PIN-кодів. Спробуйте ще раз за кілька хвилин.",
  noShift: "У цій вкладці зміну не відкрито. Відкрийте зміну (ідентифікатор і PIN).",
  inBasket: "Цей бланк уже є в цьому кошику.",
  closeRefused:
    "Зараз неможливо закрити зміну: кошик відкритий або оплата на терміналі ще не завершена. Прийміть оплату або скасуйте кошик і спробуйте ще раз.",
  pdfExpired:
    "Цей звіт уже не можна завантажити тут (минуло 30 хвилин після закриття зміни). Відкрийте зміну й завантажте його зі списку «Мої закриті зміни».",
  voidIncomplete: "Введіть PIN і причину анулювання (щонайменше 3 символи).",
  voidNotFound: "Цю оплату прийнято не в цій зміні: анулювати її може бухгалтерія.",
  voidRefused: "Цю оплату зараз неможливо анулювати (можливо, її вже анульовано).",
  offline: "Немає зʼєднання зі службою каси. Перевірте, чи вона працює, і спробуйте ще раз.",
};

const pl: DeskMessages = {
  problems: plProblems,
  title: "Kasa",
  language: "Język",
  login: { heading: "Otwarcie zmiany", cashier: "Identyfikator kasjera", pin: "PIN", open: "Otwórz zmianę" },
  shift: (name, id) => `Kasjer: ${name} — zmiana ${id}`,
  scan: {
    label: "Kod z blankietu",
    hint: "Zeskanuj czytnikiem lub wklej i naciśnij Enter.",
    add: "Dodaj blankiet",
  },
  service: {
    heading: "Usługa",
    code: "Kod lub nazwa usługi",
    quantity: "Liczba",
    amount: "Kwota (zł)",
    reference: "Tytuł / numer decyzji",
    add: "Dodaj usługę",
    unknown: "Nie ma takiej usługi w dzisiejszym cenniku.",
    badAmount: "Podaj kwotę w złotych, np. 123,45.",
    amountRange: (min, max) => `Kwota tej usługi musi być od ${min} do ${max}.`,
    needsReference: (what, field) => `Ta usługa wymaga tytułu: wpisz ${what} w polu „${field}”.`,
    tooMany: (max) => `Tej usługi można mieć w koszyku najwyżej ${max}.`,
  },
  basket: {
    heading: "Koszyk",
    empty: "Koszyk jest pusty: zeskanuj blankiet albo dodaj usługę.",
    slip: (slip, caseRef) => `Blankiet ${slip}${caseRef ? `, sprawa ${caseRef}` : ""}`,
    services: "Usługi",
    fee: "Opłata manipulacyjna",
    total: "Razem",
    item: "Pozycja",
    amount: "Kwota",
    amountPending: "kwota do wpisania",
    totalPending: "znana po wpisaniu kwoty",
    openAmount: (min, max) => `Kwota z decyzji lub faktury (od ${min} do ${max})`,
    setAmount: "Ustaw kwotę",
    pay: "Zapłać kartą",
    cancel: "Anuluj koszyk",
    next: "Następny klient",
    reprint: "Drukuj kopię",
  },
  state: {
    idle: "Gotowe do pracy.",
    summary: "Koszyk otwarty.",
    authorizing: "Płatność na terminalu…",
    approved: "Płatność zaakceptowana.",
    printing: "Drukowanie potwierdzenia…",
    done: "Płatność zaakceptowana, potwierdzenie wydrukowane.",
    declined: "Płatność odrzucona.",
    unknown: "Wynik płatności nieznany: sprawdzanie z terminalem…",
    cancelled: "Anulowano.",
    out_of_order: "Kasa nieczynna.",
  },
  payments: {
    heading: "Płatności tej zmiany",
    none: "Brak płatności.",
    time: "Godzina",
    id: "Nr płatności",
    total: "Kwota",
    status: "Stan",
    void: "Anuluj płatność",
  },
  history: {
    heading: "Moje zamknięte zmiany",
    show: "Pokaż moje zamknięte zmiany",
    none: "Nie masz jeszcze zamkniętych zmian na tej kasie.",
    shift: "Zmiana",
    opened: "Otwarta",
    closed: "Zamknięta",
    count: "Płatności",
    total: "Razem",
    pdf: "Raport (PDF)",
    pdfOf: (id) => `Pobierz raport zmiany ${id} (PDF)`,
    newer: "Nowsze",
    older: "Starsze",
    range: (first, last, total) => `${first}–${last} z ${total}`,
  },
  voidForm: {
    heading: (id) => `Anulowanie płatności ${id}`,
    pin: "PIN kasjera",
    reason: "Powód",
    confirm: "Anuluj płatność",
    back: "Wróć",
    done: "Płatność anulowana.",
  },
  close: {
    heading: "Zamknięcie zmiany",
    button: "Zamknij zmianę…",
    report: "Raport zmiany",
    newShift: "Nowa zmiana",
    confirmHeading: "Zamknąć zmianę?",
    summary: (count, total) => `Przyjęte płatności: ${count}, razem ${total}.`,
    voids: (count, total) => `Anulowane: ${count}, razem ${total}.`,
    lastShift: "Czy to ostatnia zmiana dnia na tej kasie?",
    lastShiftYes: "Tak — zamknij też dzień na terminalu",
    lastShiftNo: "Nie — dziś na tej kasie będzie jeszcze zmiana",
    explain:
      "Zamknięcie dnia rozlicza na terminalu płatności kartą z całego dnia, porównuje je z kasą i wysyła rozliczenie dnia do biura. Robi się je raz dziennie, po ostatniej zmianie.",
    scheduled: (time) => `Jeśli nie zamkniesz dnia teraz, terminal zamknie go sam o ${time}.`,
    unanswered: "Zaznacz, czy to ostatnia zmiana dnia.",
    confirm: "Zamknij zmianę",
    back: "Wróć do kasy",
    pdf: "Pobierz raport zmiany (PDF)",
    pdfHint:
      "Raport w PDF można pobrać tu przez 30 minut od zamknięcia zmiany, a później z listy „Moje zamknięte zmiany” po otwarciu zmiany.",
  },
  report: {
    count: "Płatności",
    total: "Razem",
    voids: "Anulowane",
    recipients: "Według odbiorców",
    components: "Według składników",
    cards: "Według kart",
    endOfDay: "Zamknięcie dnia",
    terminal: "Terminal",
    desk: "Kasa",
    match: "Zgodne z terminalem.",
    mismatch: "NIEZGODNOŚĆ z terminalem.",
    printed: "Raport wydrukowano na drukarce kasy.",
    recipient: "Odbiorca",
    component: "Składnik",
    card: "Karta",
    number: "Liczba",
    amount: "Kwota",
  },
  approved: "zaakceptowana",
  reversed: "anulowana",
};

const en: DeskMessages = {
  problems: enProblems,
  title: "Cash desk",
  language: "Language",
  login: { heading: "Open a shift", cashier: "Cashier id", pin: "PIN", open: "Open shift" },
  shift: (name, id) => `Cashier: ${name} — shift ${id}`,
  scan: { label: "Slip code", hint: "Scan with the reader or paste, then press Enter.", add: "Add slip" },
  service: {
    heading: "Service",
    code: "Service code or name",
    quantity: "Quantity",
    amount: "Amount (PLN)",
    reference: "Reference / decision number",
    add: "Add service",
    unknown: "No such service in today's price list.",
    badAmount: "Enter an amount in zloty, e.g. 123.45.",
    amountRange: (min, max) => `This service's amount must be from ${min} to ${max}.`,
    needsReference: (what, field) =>
      `This service needs a reference: enter the ${what} in the "${field}" field.`,
    tooMany: (max) => `The basket may hold at most ${max} of this service.`,
  },
  basket: {
    heading: "Basket",
    empty: "The basket is empty: scan a slip or add a service.",
    slip: (slip, caseRef) => `Slip ${slip}${caseRef ? `, case ${caseRef}` : ""}`,
    services: "Services",
    fee: "Handling fee",
    total: "Total",
    item: "Item",
    amount: "Amount",
    amountPending: "amount to be entered",
    totalPending: "known once the amount is entered",
    openAmount: (min, max) => `Amount from the decision or invoice (from ${min} to ${max})`,
    setAmount: "Set amount",
    pay: "Pay by card",
    cancel: "Cancel basket",
    next: "Next customer",
    reprint: "Print a copy",
  },
  state: {
    idle: "Ready.",
    summary: "Basket open.",
    authorizing: "Payment on the terminal…",
    approved: "Payment approved.",
    printing: "Printing the receipt…",
    done: "Payment approved, receipt printed.",
    declined: "Payment declined.",
    unknown: "Payment outcome unknown: checking with the terminal…",
    cancelled: "Cancelled.",
    out_of_order: "Cash desk out of order.",
  },
  payments: {
    heading: "Payments of this shift",
    none: "No payments yet.",
    time: "Time",
    id: "Payment",
    total: "Amount",
    status: "Status",
    void: "Void payment",
  },
  history: {
    heading: "My closed shifts",
    show: "Show my closed shifts",
    none: "You have no closed shifts at this desk yet.",
    shift: "Shift",
    opened: "Opened",
    closed: "Closed",
    count: "Payments",
    total: "Total",
    pdf: "Report (PDF)",
    pdfOf: (id) => `Download the report of shift ${id} (PDF)`,
    newer: "Newer",
    older: "Older",
    range: (first, last, total) => `${first}–${last} of ${total}`,
  },
  voidForm: {
    heading: (id) => `Void payment ${id}`,
    pin: "Cashier PIN",
    reason: "Reason",
    confirm: "Void payment",
    back: "Back",
    done: "Payment voided.",
  },
  close: {
    heading: "Close the shift",
    button: "Close shift…",
    report: "Shift report",
    newShift: "New shift",
    confirmHeading: "Close the shift?",
    summary: (count, total) => `Payments taken: ${count}, total ${total}.`,
    voids: (count, total) => `Voided: ${count}, total ${total}.`,
    lastShift: "Is this the last shift of the day at this desk?",
    lastShiftYes: "Yes — also close the day on the terminal",
    lastShiftNo: "No — another shift works at this desk today",
    explain:
      "The end of day settles the whole day's card payments on the terminal, checks them against the desk and sends the day's settlement to the office. It is done once a day, after the last shift.",
    scheduled: (time) => `If you do not close the day now, the terminal closes it by itself at ${time}.`,
    unanswered: "Choose whether this is the last shift of the day.",
    confirm: "Close shift",
    back: "Back to the desk",
    pdf: "Download the shift report (PDF)",
    pdfHint:
      "The PDF of the report can be downloaded here for 30 minutes after the shift closed, and later from “My closed shifts” once a shift is open.",
  },
  report: {
    count: "Payments",
    total: "Total",
    voids: "Voided",
    recipients: "Per recipient",
    components: "Per component",
    cards: "Per card brand",
    endOfDay: "End of day",
    terminal: "Terminal",
    desk: "Cash desk",
    match: "Agrees with the terminal.",
    mismatch: "DOES NOT agree with the terminal.",
    printed: "The report was printed on the desk's printer.",
    recipient: "Recipient",
    component: "Component",
    card: "Card",
    number: "Count",
    amount: "Amount",
  },
  approved: "approved",
  reversed: "voided",
};

const uk: DeskMessages = {
  problems: ukProblems,
  title: "Каса",
  language: "Мова",
  login: { heading: "Відкриття зміни", cashier: "Ідентифікатор касира", pin: "PIN", open: "Відкрити зміну" },
  shift: (name, id) => `Касир: ${name} — зміна ${id}`,
  scan: { label: "Код бланка", hint: "Відскануйте або вставте й натисніть Enter.", add: "Додати бланк" },
  service: {
    heading: "Послуга",
    code: "Код або назва послуги",
    quantity: "Кількість",
    amount: "Сума (зл)",
    reference: "Призначення / номер рішення",
    add: "Додати послугу",
    unknown: "Такої послуги немає в сьогоднішньому прейскуранті.",
    badAmount: "Введіть суму в злотих, напр. 123,45.",
    amountRange: (min, max) => `Сума цієї послуги має бути від ${min} до ${max}.`,
    needsReference: (what, field) => `Ця послуга потребує призначення: введіть ${what} у полі «${field}».`,
    tooMany: (max) => `У кошику може бути щонайбільше ${max} цієї послуги.`,
  },
  basket: {
    heading: "Кошик",
    empty: "Кошик порожній: відскануйте бланк або додайте послугу.",
    slip: (slip, caseRef) => `Бланк ${slip}${caseRef ? `, справа ${caseRef}` : ""}`,
    services: "Послуги",
    fee: "Сервісний збір",
    total: "Разом",
    item: "Позиція",
    amount: "Сума",
    amountPending: "суму ще треба ввести",
    totalPending: "буде відома після введення суми",
    openAmount: (min, max) => `Сума з рішення або рахунку (від ${min} до ${max})`,
    setAmount: "Встановити суму",
    pay: "Оплатити карткою",
    cancel: "Скасувати кошик",
    next: "Наступний клієнт",
    reprint: "Друкувати копію",
  },
  state: {
    idle: "Готово до роботи.",
    summary: "Кошик відкрито.",
    authorizing: "Оплата на терміналі…",
    approved: "Платіж схвалено.",
    printing: "Друк квитанції…",
    done: "Платіж схвалено, квитанцію надруковано.",
    declined: "Платіж відхилено.",
    unknown: "Результат платежу невідомий: перевірка з терміналом…",
    cancelled: "Скасовано.",
    out_of_order: "Каса не працює.",
  },
  payments: {
    heading: "Платежі цієї зміни",
    none: "Платежів ще немає.",
    time: "Час",
    id: "Платіж",
    total: "Сума",
    status: "Стан",
    void: "Анулювати платіж",
  },
  history: {
    heading: "Мої закриті зміни",
    show: "Показати мої закриті зміни",
    none: "У вас ще немає закритих змін на цій касі.",
    shift: "Зміна",
    opened: "Відкрита",
    closed: "Закрита",
    count: "Платежі",
    total: "Разом",
    pdf: "Звіт (PDF)",
    pdfOf: (id) => `Завантажити звіт зміни ${id} (PDF)`,
    newer: "Новіші",
    older: "Старіші",
    range: (first, last, total) => `${first}–${last} з ${total}`,
  },
  voidForm: {
    heading: (id) => `Анулювання платежу ${id}`,
    pin: "PIN касира",
    reason: "Причина",
    confirm: "Анулювати платіж",
    back: "Назад",
    done: "Платіж анульовано.",
  },
  close: {
    heading: "Закриття зміни",
    button: "Закрити зміну…",
    report: "Звіт зміни",
    newShift: "Нова зміна",
    confirmHeading: "Закрити зміну?",
    summary: (count, total) => `Прийняті платежі: ${count}, разом ${total}.`,
    voids: (count, total) => `Анульовані: ${count}, разом ${total}.`,
    lastShift: "Чи це остання зміна дня на цій касі?",
    lastShiftYes: "Так — також закрити день на терміналі",
    lastShiftNo: "Ні — сьогодні на цій касі буде ще зміна",
    explain:
      "Закриття дня підсумовує на терміналі карткові платежі за весь день, звіряє їх із касою та надсилає розрахунок дня до установи. Його виконують раз на день, після останньої зміни.",
    scheduled: (time) => `Якщо не закрити день зараз, термінал закриє його сам о ${time}.`,
    unanswered: "Позначте, чи це остання зміна дня.",
    confirm: "Закрити зміну",
    back: "Повернутися до каси",
    pdf: "Завантажити звіт зміни (PDF)",
    pdfHint:
      "PDF звіту можна завантажити тут протягом 30 хвилин після закриття зміни, а пізніше — зі списку «Мої закриті зміни» після відкриття зміни.",
  },
  report: {
    count: "Платежі",
    total: "Разом",
    voids: "Анульовані",
    recipients: "За отримувачами",
    components: "За складниками",
    cards: "За картками",
    endOfDay: "Закриття дня",
    terminal: "Термінал",
    desk: "Каса",
    match: "Збігається з терміналом.",
    mismatch: "НЕ збігається з терміналом.",
    printed: "Звіт надруковано на принтері каси.",
    recipient: "Отримувач",
    component: "Складник",
    card: "Картка",
    number: "Кількість",
    amount: "Сума",
  },
  approved: "схвалено",
  reversed: "анульовано",
};

const DESK: Record<Language, DeskMessages> = { pl, en, uk };

export function deskMessages(lang: Language): DeskMessages {
  return DESK[lang];
}

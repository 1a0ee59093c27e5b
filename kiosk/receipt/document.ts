/**
 * The payment confirmation as one receiptline document: the printer driver renders it to ESC/POS and
 * `receiptSvg` renders the very same text to SVG for the screen, so paper and screen cannot differ.
 * Polish comes first; the visitor's language follows on the same line when it is not Polish.
 */
import type { Label, Language } from "../config/types.ts";
import { lastFourOnly, localDateTime, type ReceiptModel } from "../domain/receipt.ts";
import { escapeProperty, escapeText } from "./escape.ts";
import { formatZloty } from "./money-text.ts";

type Words = Record<Language, string>;

const WORDS = {
  title: { pl: "Potwierdzenie zapłaty", en: "Payment confirmation", uk: "Квитанція про оплату" },
  kiosk: { pl: "Kiosk", en: "Kiosk", uk: "Кіоск" },
  /** An attended cash desk's receipt (it names the cashier): the device is the desk, not a kiosk. */
  desk: { pl: "Kasa", en: "Cash desk", uk: "Каса" },
  cashier: { pl: "Kasjer", en: "Cashier", uk: "Касир" },
  date: { pl: "Data", en: "Date", uk: "Дата" },
  payment: { pl: "Nr płatności", en: "Payment ID", uk: "Номер платежу" },
  slip: { pl: "Nr blankietu", en: "Slip", uk: "Номер бланка" },
  services: { pl: "Usługi", en: "Services", uk: "Послуги" },
  caseRef: { pl: "Sprawa", en: "Case", uk: "Справа" },
  recipient: { pl: "Odbiorca", en: "Recipient", uk: "Отримувач" },
  reference: { pl: "Tytuł", en: "Reference", uk: "Призначення" },
  total: { pl: "RAZEM", en: "TOTAL", uk: "РАЗОМ" },
  card: { pl: "Karta", en: "Card", uk: "Картка" },
  pan: { pl: "Nr karty", en: "Card number", uk: "Номер картки" },
  authCode: { pl: "Kod autoryzacji", en: "Authorization code", uk: "Код авторизації" },
  terminalId: { pl: "Terminal", en: "Terminal ID", uk: "Термінал" },
  trace: { pl: "Nr transakcji", en: "Trace number", uk: "Номер транзакції" },
  receiptNo: { pl: "Nr potwierdzenia", en: "Receipt number", uk: "Номер квитанції" },
  verification: { pl: "Kod weryfikacyjny", en: "Verification code", uk: "Код перевірки" },
  notFiscal: {
    pl: "Potwierdzenie zapłaty – nie jest paragonem fiskalnym",
    en: "Payment confirmation – not a fiscal receipt",
    uk: "Квитанція про оплату – не є фіскальним чеком",
  },
  terminalReceipt: {
    pl: "Wydruk terminala płatniczego",
    en: "Card terminal receipt",
    uk: "Квитанція платіжного термінала",
  },
  reprint: { pl: "KOPIA – wydruk ponowny", en: "COPY – reprint", uk: "КОПІЯ – повторний друк" },
} satisfies Record<string, Words>;

/** `Data / Date` for an English visitor, `Data` for a Polish one. */
function both(words: Words, lang: Language): string {
  return lang === "pl" || words[lang] === words.pl ? words.pl : `${words.pl} / ${words[lang]}`;
}

function label(l: Label, lang: Language): string {
  const other = lang === "pl" ? undefined : l[lang];
  return other && other !== l.pl ? `${l.pl} / ${other}` : l.pl;
}

/** Splits text into lines of at most `width` characters at spaces (a longer word is cut). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter((x) => x.length > 0)) {
    let rest = word;
    while (rest.length > 0) {
      const room = current.length === 0 ? width : width - current.length - 1;
      if (rest.length <= room) {
        current = current.length === 0 ? rest : `${current} ${rest}`;
        rest = "";
      } else if (current.length > 0) {
        lines.push(current);
        current = "";
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (current.length > 0) lines.push(current);
  return lines.length > 0 ? lines : [""];
}

class Doc {
  readonly out: string[] = [];
  constructor(readonly columns: number) {}

  /** Centered, word-wrapped; `bold` uses receiptline's emphasis. */
  center(text: string, bold = false): void {
    for (const l of wrapWords(text, this.columns)) {
      this.out.push(bold ? `"${escapeText(l)}"` : escapeText(l));
    }
  }

  /** Left-aligned, word-wrapped, indented by `indent` columns (receiptline's `~` is a kept space). */
  left(text: string, indent = 0): void {
    for (const l of wrapWords(text, this.columns - indent)) {
      this.out.push(`|${"~".repeat(indent)}${escapeText(l)} |`);
    }
  }

  /** Left text and a right-aligned amount on the same line. */
  amount(text: string, value: string, indent = 0, bold = false): void {
    const valueWidth = Math.max(value.length, 12);
    const lines = wrapWords(text, this.columns - valueWidth - 1 - indent);
    const b = bold ? '"' : "";
    lines.forEach((l, i) => {
      const v = i === lines.length - 1 ? `${b}${escapeText(value)}` : "";
      this.out.push(`{width:*,${valueWidth}}`);
      this.out.push(`${"~".repeat(indent)}${b}${escapeText(l)} | ${v}`);
      this.out.push("{width:auto}");
    });
  }

  rule(): void {
    this.out.push("\\x2d".repeat(this.columns));
  }

  raw(line: string): void {
    this.out.push(line);
  }
}

export function receiptDocument(model: ReceiptModel, columns: number): string {
  const lang = model.language;
  const w = (words: Words) => both(words, lang);
  const d = new Doc(columns);
  // A value that fits a line is never broken after its label: on a 58 mm (32-column) or narrower
  // roll, "**** 0119" or a date and its time split across two lines read as two values.
  const kv = (words: Words, value: string) => {
    const text = `${w(words)}: ${value}`;
    if (text.length <= columns || value.length > columns) return d.left(text);
    d.left(`${w(words)}:`);
    d.left(value);
  };

  if (model.copy === "reprint") d.center(w(WORDS.reprint), true);
  d.center(WORDS.title.pl, true);
  if (lang !== "pl") d.center(WORDS.title[lang]);
  d.center(model.office.name);
  d.center(model.office.address);
  d.center(`NIP ${model.office.nip}`);
  d.rule();

  kv(model.cashier ? WORDS.desk : WORDS.kiosk, model.kioskId);
  if (model.cashier) kv(WORDS.cashier, model.cashier);
  kv(WORDS.date, localDateTime(model.paidAt));
  kv(WORDS.payment, model.paymentId);
  const slips = model.slips && model.slips.length > 1 ? model.slips : model.slip ? [model.slip] : [];
  // Several slips, or a slip and services: each slip's lines under its number and case, then the
  // services under their heading (lines that name no slip are the services).
  const grouped =
    slips.length > 1 ||
    (model.lines.some((l) => l.slip !== undefined) && model.lines.some((l) => l.slip === undefined));
  // Grouped, each slip is named once, over its own lines; in the header too it read as two slips.
  if (!grouped) {
    for (const slip of slips) {
      kv(WORDS.slip, slip.id);
      if (slip.caseRef) kv(WORDS.caseRef, slip.caseRef);
    }
  }
  d.rule();

  const printLine = (line: ReceiptModel["lines"][number]): void => {
    const qty = line.quantity && line.quantity > 1 ? ` x ${line.quantity}` : "";
    d.left(`${label(line.label, lang)}${qty}`);
    if (line.reference) d.left(`${w(WORDS.reference)}: ${line.reference}`, 2);
    d.amount(`${w(WORDS.recipient)}: ${line.recipientName}`, formatZloty(line.amount), 2);
  };
  if (grouped) {
    for (const slip of slips) {
      d.left(`${w(WORDS.slip)}: ${slip.id}${slip.caseRef ? ` (${slip.caseRef})` : ""}`);
      for (const line of model.lines.filter((l) => l.slip === slip.id)) printLine(line);
    }
    const services = model.lines.filter((l) => l.slip === undefined);
    // Under their own heading: printed straight after the last slip's lines, they would read as its.
    if (services.length > 0) d.left(w(WORDS.services));
    for (const line of services) printLine(line);
  } else {
    for (const line of model.lines) printLine(line);
  }
  if (model.handlingFee && model.handlingFee.amount > 0) {
    const fee = model.handlingFee;
    d.left(label(fee.label, lang));
    d.amount(`${w(WORDS.recipient)}: ${fee.recipientName}`, formatZloty(fee.amount), 2);
  }
  d.rule();
  d.amount(w(WORDS.total), formatZloty(model.total), 0, true);
  d.rule();

  const card = model.card;
  if (card.brand) kv(WORDS.card, card.brand);
  const pan = lastFourOnly(card.maskedPan);
  if (pan) kv(WORDS.pan, pan);
  if (card.authCode) kv(WORDS.authCode, card.authCode);
  if (card.terminalId) kv(WORDS.terminalId, card.terminalId);
  if (card.traceNumber) kv(WORDS.trace, card.traceNumber);
  if (card.receiptNumber) kv(WORDS.receiptNo, card.receiptNumber);
  d.rule();

  d.center(w(WORDS.verification));
  d.raw(`{code:${escapeProperty(model.verificationCode)}; option:qrcode,4,m}`);
  // The code as text too, cut into full lines: it has no spaces to wrap at.
  for (let i = 0; i < model.verificationCode.length; i += columns) {
    d.raw(`|${escapeText(model.verificationCode.slice(i, i + columns))} |`);
  }
  d.rule();
  d.center(WORDS.notFiscal.pl, true);
  if (lang !== "pl") d.center(WORDS.notFiscal[lang]);

  if (model.terminalReceipt && model.terminalReceipt.length > 0) {
    d.rule();
    d.center(w(WORDS.terminalReceipt));
    for (const line of model.terminalReceipt) {
      // The terminal lays its lines out itself: keep its leading spaces, cut (not wrap) long lines.
      const indent = Math.min(line.length - line.trimStart().length, columns - 1);
      const text = line.trim().slice(0, columns - indent);
      d.raw(text === "" ? "\\x20" : `|${"~".repeat(indent)}${escapeText(text)} |`);
    }
  }
  d.raw("");
  return d.out.join("\n");
}

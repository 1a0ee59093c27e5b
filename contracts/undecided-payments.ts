/**
 * The words, in English, for a payment only staff can settle: how far its attempt got and what the
 * terminal repeated when asked for its last transaction (06 20). The admin API gives them to office
 * staff beside the codes (`stage`, `answer`), and the service console speaks them in English; its
 * Polish and Ukrainian are ui/src/i18n/service-pl.ts and service-uk.ts.
 */
import type { AnswerClass, StoredStage } from "../kiosk/domain/recovery-match.ts";

export const STAGE_IN_ENGLISH: Readonly<Record<StoredStage, string>> = {
  nothing_sent: "no sign yet that the terminal received the request",
  request_sent: "the terminal took the request",
  result_stored: "the terminal's approval stored",
  result_acknowledged: "the terminal's approval acknowledged",
  completion_seen: "the terminal completed the transaction",
};

export const ANSWER_IN_ENGLISH: Readonly<Record<AnswerClass, string>> = {
  same_approved: "it repeated this payment as approved",
  same_not_approved: "it repeated this payment as not approved",
  older_transaction: "it repeated an earlier transaction, not this one",
  reversal: "it repeated a reversal of another payment",
  nothing: "it repeated no transaction",
  unreadable: "its answer could not be read",
  no_answer: "it did not answer",
};

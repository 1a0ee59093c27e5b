/**
 * PaymentFlow built directly over its ports, without HTTP and without createKiosk: the caller's store,
 * terminal and printer (fakes), the test configuration, a fresh receipt key, a stub renderer and
 * reporter and a silent log; anything else the caller names replaces those.
 */
import { generateKeyPairSync } from "node:crypto";
import { type FlowDependencies, PaymentFlow } from "../../kiosk/flow/payment-session.ts";
import { testConfig, testKeys } from "./test-config.ts";

export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

export function flowOverFakes(
  ports: Pick<FlowDependencies, "store" | "terminal" | "printer"> & Partial<FlowDependencies>,
): PaymentFlow {
  const { privateKey } = generateKeyPairSync("ed25519");
  return new PaymentFlow({
    config: testConfig(testKeys()),
    trustedKeys: new Map(),
    receiptKey: { kid: "r1", privateKey },
    renderReceipt: () => "receipt",
    enqueuePaymentReports: () => undefined,
    log: silentLog,
    ...ports,
  });
}

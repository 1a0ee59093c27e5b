/**
 * The fleet: every kiosk and cash desk of the offices the login may see, with its last contact (a
 * device silent for ten minutes is marked), out-of-order state, device states, outbox backlog and
 * last payment. Refreshes itself.
 */
import { describeError, type View, type ViewContext } from "../context.ts";
import { h, replace, table } from "../dom.ts";
import { dateTime } from "../format.ts";
import type { MessageKey } from "../i18n.ts";
import { decodeFleet, type FleetDevice } from "../model.ts";

const REFRESH_MS = 10_000;
/** As the alert rule: silent for ten minutes is worth a look. */
const SILENT_SECONDS = 600;

const STATE_WORDS: Record<string, MessageKey> = {
  idle: "stateIdle",
  busy: "stateBusy",
  error: "stateError",
  offline: "stateOffline",
  closed: "stateClosed",
};
const DEVICE_WORDS: Record<string, MessageKey> = {
  terminal: "deviceTerminal",
  printer: "devicePrinter",
  scanner: "deviceScanner",
  gpio: "deviceGpio",
};

function lastSeen(context: ViewContext, d: FleetDevice): HTMLElement | string {
  const { t, language } = context;
  if (!d.lastSeen) return t("neverSeen");
  const seconds = d.secondsSinceLastSeen ?? 0;
  const when = dateTime(d.lastSeen, language);
  if (seconds >= SILENT_SECONDS) {
    return h(
      "strong",
      { class: "attention-mark" },
      `${when} — ${t("silent", { minutes: Math.floor(seconds / 60) })}`,
    );
  }
  const ago = seconds < 60 ? t("justNow") : t("minutesAgo", { minutes: Math.floor(seconds / 60) });
  return `${when} (${ago})`;
}

function states(context: ViewContext, d: FleetDevice): HTMLElement {
  const { t } = context;
  return h(
    "ul",
    { class: "states" },
    d.devices.map((x) => {
      const name = DEVICE_WORDS[x.name] ? t(DEVICE_WORDS[x.name]!) : x.name;
      const state = STATE_WORDS[x.state] ? t(STATE_WORDS[x.state]!) : x.state;
      const bad = x.state === "error" || x.state === "offline";
      return h("li", { class: bad ? "attention-mark" : null }, `${name}: ${state}`);
    }),
  );
}

function rowOf(context: ViewContext, d: FleetDevice) {
  const { t, language } = context;
  return [
    d.id,
    d.office,
    d.kind === "desk" ? t("kindDesk") : t("kindKiosk"),
    lastSeen(context, d),
    d.outOfOrder === null
      ? t("none")
      : d.outOfOrder
        ? h("strong", { class: "attention-mark" }, t("outOfOrderYes"))
        : t("outOfOrderNo"),
    states(context, d),
    d.outbox ? t("outboxState", { pending: d.outbox.pending, failed: d.outbox.failed }) : t("outboxUnknown"),
    d.lastPaymentAt ? dateTime(d.lastPaymentAt, language) : t("none"),
  ];
}

export function fleetView(context: ViewContext): View {
  const { t } = context;
  const status = h("p", { role: "status", class: "status" });
  const error = h("div", { role: "alert", class: "error" });
  const results = h("div", { class: "results" });
  let shown = "";

  const load = async (quiet: boolean) => {
    if (!quiet) status.textContent = t("loading");
    try {
      const body = await context.api.fleet();
      status.textContent = "";
      replace(error);
      // Seconds since last contact change every beat: compare without them, re-render when they matter.
      const devices = decodeFleet(body);
      const key = JSON.stringify(
        devices.map((d) => ({ ...d, secondsSinceLastSeen: Math.floor((d.secondsSinceLastSeen ?? 0) / 60) })),
      );
      if (quiet && key === shown) return;
      shown = key;
      replace(
        results,
        devices.length === 0
          ? h("p", {}, t("fleetEmpty"))
          : table({
              caption: t("fleetCaption"),
              headers: [
                t("colDevice"),
                t("colOffice"),
                t("colKindDevice"),
                t("colLastSeen"),
                t("colOutOfOrder"),
                t("colDeviceStates"),
                t("colOutbox"),
                t("colLastPayment"),
              ],
              rows: devices.map((d) => rowOf(context, d)),
              rowClass: (i) => {
                const d = devices[i];
                const silent = !d?.lastSeen || (d.secondsSinceLastSeen ?? 0) >= SILENT_SECONDS;
                return d && (silent || d.outOfOrder) ? "attention" : undefined;
              },
              rowHeaders: true,
            }),
      );
    } catch (e) {
      status.textContent = "";
      replace(error, h("p", {}, describeError(e, context)));
    }
  };

  const refresh = h("button", { type: "button" }, t("refresh"));
  refresh.addEventListener("click", () => void load(false));
  const element = h(
    "div",
    { class: "view", "data-view": "fleet" },
    h("h1", { tabindex: -1 }, t("fleetTitle")),
    h("p", {}, refresh),
    status,
    error,
    results,
  );
  void load(false);
  const timer = setInterval(() => void load(true), REFRESH_MS);
  return { element, stop: () => clearInterval(timer) };
}

/**
 * The day's settlement: office and day picker, the downloads, and the report's tables (per recipient
 * account, component and device, the reconciliation with the terminals, every transaction).
 * Today's report refreshes itself so a payment just made shows up within seconds.
 */
import { type Download, downloadUrl } from "../api.ts";
import { describeError, type View, type ViewContext } from "../context.ts";
import { h, replace } from "../dom.ts";
import { longDay, today } from "../format.ts";
import { type DeviceKinds, decodeDeviceKinds, decodeSettlement, type SettlementReport } from "../model.ts";
import { officeName, officeSelect } from "./office-picker.ts";
import { reportTables } from "./report-tables.ts";

const REFRESH_MS = 3_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Picks = ViewContext["picks"];

function downloads(context: ViewContext, office: string, date: string): HTMLElement {
  const { t } = context;
  const links: Array<[Download, string]> = [
    ["csv", t("downloadCsv")],
    ["pdf", t("downloadPdf")],
    ["elixir", t("downloadElixir")],
    ["json", t("downloadJson")],
    ["payouts-json", t("downloadPayoutsJson")],
  ];
  return h(
    "section",
    { "aria-labelledby": "downloads-heading", class: "downloads" },
    h("h3", { id: "downloads-heading" }, t("downloads")),
    h(
      "ul",
      {},
      links.map(([kind, label]) =>
        h(
          "li",
          {},
          h("a", { href: downloadUrl(office, date, kind), download: "", "data-download": kind }, label),
        ),
      ),
    ),
  );
}

/** The report's part of the page: heading, downloads, tables. */
function reportSection(
  context: ViewContext,
  report: SettlementReport,
  picked: Picks,
  kinds: DeviceKinds,
): Array<HTMLElement | null> {
  const { t } = context;
  return [
    h(
      "h2",
      { id: "report-heading" },
      t("dayHeading", {
        office: officeName(context, report.office),
        date: longDay(report.date, context.language),
      }),
    ),
    picked.date === today() ? h("p", { class: "note" }, t("autoRefreshNote")) : null,
    downloads(context, picked.office, picked.date),
    reportTables(context, report, kinds),
  ];
}

/** Office and day; on a valid submit the picks change and `onPick` runs. */
function dayForm(
  context: ViewContext,
  showError: (message: string) => void,
  onPick: () => void,
): HTMLFormElement {
  const { t } = context;
  const office = officeSelect(context, "day-office");
  const date = h("input", {
    id: "day-date",
    name: "date",
    type: "date",
    required: true,
    value: context.picks.date,
  });
  const form = h(
    "form",
    { "aria-labelledby": "day-form-heading", class: "picker", novalidate: true },
    h("h2", { id: "day-form-heading", class: "visually-hidden" }, t("dayForm")),
    h("div", { class: "field" }, h("label", { for: "day-office" }, t("officeField")), office),
    h("div", { class: "field" }, h("label", { for: "day-date" }, t("dateField")), date),
    h("button", { type: "submit" }, t("showButton")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!DAY.test(date.value)) {
      showError(t("errorDate"));
      date.focus();
      return;
    }
    context.picks.office = office.value;
    context.picks.date = date.value;
    onPick();
  });
  return form;
}

export function dayView(context: ViewContext): View {
  const { t } = context;
  const status = h("p", { role: "status", class: "status" });
  const error = h("div", { role: "alert", class: "error" });
  const results = h("div", { class: "results" });
  let timer: ReturnType<typeof setInterval> | undefined;
  let shown = "";
  // The devices' kinds come from the configuration, which does not change while the page is open:
  // asked once per view. Without them (an error) the table says "none" and the next load asks again.
  let kinds: Promise<DeviceKinds> | undefined;
  const deviceKinds = () => {
    kinds ??= context.api
      .offices()
      .then(decodeDeviceKinds)
      .catch(() => {
        kinds = undefined;
        return new Map<string, ReadonlyMap<string, string>>();
      });
    return kinds;
  };

  const load = async (quiet: boolean) => {
    const picked = { ...context.picks };
    if (!quiet) {
      status.textContent = t("loading");
      replace(error);
    }
    try {
      const [body, known] = await Promise.all([
        context.api.settlement(picked.office, picked.date),
        deviceKinds(),
      ]);
      // A late answer for an earlier pick must not overwrite the current one.
      if (picked.office !== context.picks.office || picked.date !== context.picks.date) return;
      const text = JSON.stringify(body);
      status.textContent = "";
      if (quiet && text === shown) return;
      shown = text;
      const report = decodeSettlement(body);
      if (!report) throw new Error("unexpected report");
      // A refresh must not take the keyboard focus away from the download link it was on.
      const focusedDownload = (document.activeElement as HTMLElement | null)?.dataset["download"];
      replace(results, reportSection(context, report, picked, known));
      if (focusedDownload)
        results.querySelector<HTMLElement>(`[data-download="${focusedDownload}"]`)?.focus();
    } catch (e) {
      status.textContent = "";
      if (!quiet) {
        replace(results);
        shown = "";
      }
      replace(error, h("p", {}, describeError(e, context)));
    }
  };

  const schedule = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (context.picks.date === today()) timer = setInterval(() => void load(true), REFRESH_MS);
  };

  const form = dayForm(
    context,
    (message) => replace(error, h("p", {}, message)),
    () => {
      shown = "";
      void load(false);
      schedule();
    },
  );
  const element = h(
    "div",
    { class: "view", "data-view": "day" },
    h("h1", { tabindex: -1 }, t("dayTitle")),
    form,
    status,
    error,
    results,
  );
  void load(false);
  schedule();
  return {
    element,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

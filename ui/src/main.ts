/**
 * Loads the kiosk's visitor app, or the cash-desk screens when the daemon runs attended
 * (`kiosk.mode: attended`, SPEC §10): `/api/kiosk` says which, before anyone logs in.
 */
async function boot(): Promise<void> {
  const info: unknown = await fetch("/api/kiosk")
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  if (info && typeof info === "object" && (info as { mode?: unknown }).mode === "attended") {
    await import("./desk/cash-desk.ts");
    document.title = "Opłatomat — kasa";
    document.body.replaceChildren(document.createElement("cash-desk"));
    return;
  }
  await import("./app.ts");
}
void boot();

/**
 * What a configuration may say but probably does not mean: `oplatomat config check` prints these as
 * warnings (exit 0, "ok" as before) and the daemon logs them at start. They are not errors because a
 * receiver may really be there; an error would stop a kiosk that works.
 */
import type { ConfigProblem } from "./problem.ts";

/** The hub's heartbeat route (SPEC §9: `POST /fleet/heartbeat`). */
const HUB_HEARTBEAT_PATH = "/fleet/heartbeat";

/**
 * `integrations.heartbeat.url` is the heartbeat's full address, while PiK's and settlement's urls are
 * base addresses (§6 appends `/payments`, `/transactions`). A technician who writes the hub's base
 * address for the heartbeat too (path `/`) gets a 404 every minute and a kiosk the fleet table never
 * sees. The url is kept as written (a fleet service of another kind may take the beat at `/`).
 */
export function heartbeatUrlWarning(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.pathname !== "/" || parsed.search !== "") return undefined;
  return `has no path, but it is the heartbeat's full address, not a base address as for settlement: a hub takes the heartbeat at ${parsed.origin}${HUB_HEARTBEAT_PATH}`;
}

/** The handling fee's code in the accounting export (SPEC §7) and in settlement splits (§6). */
const FEE_CODE = "FEE";

/**
 * A fee component or a price-list service coded `FEE`: SPEC §3 allows the code, but SPEC §7 gives it
 * to the handling fee, so in the export, the settlement splits and the reports its rows look like the
 * fee's to anyone reading them (the kiosk itself keeps them apart).
 */
export function feeCodeWarnings(config: {
  components: Readonly<Record<string, unknown>>;
  catalog: ReadonlyArray<{ code: string }>;
}): ConfigProblem[] {
  const message = `${FEE_CODE} is the handling fee's code in the accounting export (SPEC §7) and the settlement splits (§6): its rows there cannot be told from the fee's; give it another code`;
  const warnings: ConfigProblem[] = [];
  if (Object.hasOwn(config.components, FEE_CODE)) warnings.push({ path: `/components/${FEE_CODE}`, message });
  config.catalog.forEach((item, i) => {
    if (item.code === FEE_CODE) warnings.push({ path: `/catalog/${i}/code`, message });
  });
  return warnings;
}

export function configWarnings(config: {
  integrations: { heartbeat?: { url: string } };
  components: Readonly<Record<string, unknown>>;
  catalog: ReadonlyArray<{ code: string }>;
}): ConfigProblem[] {
  const heartbeat = heartbeatUrlWarning(config.integrations.heartbeat?.url);
  return [
    ...(heartbeat ? [{ path: "/integrations/heartbeat/url", message: heartbeat }] : []),
    ...feeCodeWarnings(config),
  ];
}

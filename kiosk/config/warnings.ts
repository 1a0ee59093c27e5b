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

export function configWarnings(config: { integrations: { heartbeat?: { url: string } } }): ConfigProblem[] {
  const heartbeat = heartbeatUrlWarning(config.integrations.heartbeat?.url);
  return heartbeat ? [{ path: "/integrations/heartbeat/url", message: heartbeat }] : [];
}

/**
 * The kiosk screen's heartbeat: the visitor page posts one every few seconds from its own event loop
 * (`POST /api/screen/heartbeat`), and the screen's watchdog (bin/screen-watchdog.mjs, run by the
 * kiosk screen's systemd unit around Chromium) asks how old the last one is. A page whose renderer
 * crashed or hangs stops beating, and the watchdog restarts the browser on a fresh page. Not in SPEC
 * §4: an addition for the kiosk's own screen, on the loopback listener only.
 */
import type { FastifyInstance } from "fastify";

export const HEARTBEAT_ROUTE = "/api/screen/heartbeat";

export async function screenHeartbeatRoutes(
  app: FastifyInstance,
  opts: { now?: () => number },
): Promise<void> {
  const now = opts.now ?? Date.now;
  let last: number | null = null;

  app.post(
    HEARTBEAT_ROUTE,
    { schema: { tags: ["visitor"], summary: "The kiosk screen is alive (sent by the visitor page)" } },
    async (_request, reply) => {
      last = now();
      return reply.code(204).send();
    },
  );

  app.get(
    HEARTBEAT_ROUTE,
    {
      schema: {
        tags: ["visitor"],
        summary: "How long ago the kiosk screen last said it was alive (null: not since the daemon started)",
        response: {
          200: {
            type: "object",
            required: ["lastBeatAgeSeconds"],
            properties: { lastBeatAgeSeconds: { type: ["number", "null"] } },
          },
        },
      },
    },
    async () => ({ lastBeatAgeSeconds: last === null ? null : Math.max(0, (now() - last) / 1000) }),
  );
}

/**
 * `GET /api/events` (SPEC §4): the session as server-sent events. One listener on the flow fans
 * out to every stream, and the streams are capped: the kiosk's own screen needs one or two, and
 * each open stream holds a socket and a timer, so a flood of them is refused (503) instead of
 * piling up listeners.
 */
import type { FastifyInstance } from "fastify";
import type { PaymentFlow } from "../../flow/payment-session.ts";
import type { SessionView } from "../../flow/session-view.ts";
import { problem, problemSchema } from "../problem.ts";

/** The visitor's headphone jack (the kiosk I/O), as the event stream needs it. */
export interface HeadphoneJack {
  readonly headphonesPlugged: boolean;
  on(event: "headphones", listener: (plugged: boolean) => void): unknown;
  off(event: "headphones", listener: (plugged: boolean) => void): unknown;
}

/** More than the screen, a technician's second look and a monitor ever hold at once. */
export const MAX_EVENT_STREAMS = 16;
const PING_MS = 15_000;

export async function sessionEventRoutes(
  app: FastifyInstance,
  opts: { flow: PaymentFlow; maxStreams?: number; headphones?: HeadphoneJack },
): Promise<void> {
  const { flow } = opts;
  const max = opts.maxStreams ?? MAX_EVENT_STREAMS;
  const streams = new Set<(view: SessionView) => void>();
  const fanOut = (view: SessionView) => {
    for (const write of streams) write(view);
  };
  // The flow builds the whole view only while someone listens: only while a stream is open.
  const follow = (write: (view: SessionView) => void) => {
    if (streams.size === 0) flow.on("session", fanOut);
    streams.add(write);
  };
  const unfollow = (write: (view: SessionView) => void) => {
    if (streams.delete(write) && streams.size === 0) flow.off("session", fanOut);
  };
  // `event: audio` (issue 18): headphones plugged in start the UI's audio mode. Sent on each change,
  // and when a stream opens only while they are in, so a kiosk without a jack sends none.
  const audioStreams = new Set<(plugged: boolean) => void>();
  const jackChanged = (plugged: boolean) => {
    for (const write of audioStreams) write(plugged);
  };
  opts.headphones?.on("headphones", jackChanged);
  app.addHook("onClose", async () => {
    flow.off("session", fanOut);
    opts.headphones?.off("headphones", jackChanged);
  });

  app.get(
    "/api/events",
    {
      schema: {
        tags: ["visitor"],
        summary: "Server-sent events: `session` on every change",
        response: { 503: problemSchema },
      },
    },
    (request, reply) => {
      if (streams.size >= max) {
        request.log.warn({ streams: streams.size }, "event stream refused: too many open");
        reply.header("retry-after", "5");
        return problem(reply, "DEVICE_UNAVAILABLE", {
          title: "Too many event streams",
          detail: `at most ${max} at once`,
        });
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      // Each event leaves at once, in its own write: Node holds a chunked response's write until the
      // next tick (Node 20 corks the socket; Node 22+ keeps the chunk in the response's own buffer),
      // after the promise callbacks already queued, so a scan's summary went out after the scan's own
      // HTTP answer and the screen heard of it later (docs/benchmarks.md, "The summary's paint").
      // The response's own cork/uncork flushes on both. No Nagle either: the events are small.
      res.socket?.setNoDelay(true);
      const send = (text: string) => {
        res.cork();
        res.write(text);
        res.uncork();
      };
      const write = (view: SessionView) => send(`event: session\ndata: ${JSON.stringify(view)}\n\n`);
      const writeAudio = (plugged: boolean) =>
        send(`event: audio\ndata: ${JSON.stringify({ headphones: plugged })}\n\n`);
      write(flow.view());
      if (opts.headphones?.headphonesPlugged) writeAudio(true);
      follow(write);
      audioStreams.add(writeAudio);
      const ping = setInterval(() => res.write(": ping\n\n"), PING_MS);
      ping.unref();
      request.raw.on("close", () => {
        clearInterval(ping);
        unfollow(write);
        audioStreams.delete(writeAudio);
      });
    },
  );
}

/**
 * `POST /api/speech` `{ id, language, params }` → `audio/wav`: the UI asks the daemon to speak a
 * sentence of its catalogue (EAA: text-to-speech on self-service terminals), synthesised offline by
 * espeak-ng. Only catalogue sentences by id, with validated amounts — never free text; the cache
 * is size-capped, synthesis runs one at a time, and requests are rate-limited (issue 13.3).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import {
  type SpeechBody,
  type SpeechSources,
  sentenceOf,
  speechBodySchema,
  speechContext,
  speechParamsProblem,
} from "../../speech/catalogue.ts";
import { SpeechBusyError, SpeechSynthesizer, SpeechUnavailableError } from "../../speech/espeak.ts";
import type { SpokenLog } from "../../speech/spoken-log.ts";
import { problem } from "../problem.ts";
import { rateLimitError, useProblemErrors } from "./route-errors.ts";

/**
 * New sentences a minute (already synthesised ones are free): audio mode says every control the
 * visitor moves to, about one a second when browsing a list with the arrows (issue 18), while one
 * espeak-ng run takes a fraction of a second and runs one at a time.
 */
export const DEFAULT_SPEECH_PER_MINUTE = 120;

export interface SpeechRoutesOptions {
  /** The cache's own directory: everything in it may be deleted to keep it under its limit. */
  cacheDir: string;
  enabled: boolean;
  /** The espeak-ng executable (tests point it at a missing path). */
  command?: string;
  /** Cache size limit in bytes (default 32 MiB). */
  maxCacheBytes?: number;
  /**
   * Sentences not yet synthesised per minute (DEFAULT_SPEECH_PER_MINUTE). Sentences already in the
   * cache cost a file read and are not counted, so a visitor moving focus back and forth with the
   * arrow keys is not silenced.
   */
  perMinute?: number;
  /** The daemon's state a sentence may read: catalog labels, the session's lines, terminal prompts. */
  sources?: SpeechSources;
  /** Where each sentence asked for is recorded (in memory). */
  spokenLog?: SpokenLog;
}

export async function speechRoutes(app: FastifyInstance, opts: SpeechRoutesOptions): Promise<void> {
  const synthesizer = new SpeechSynthesizer({
    cacheDir: opts.cacheDir,
    ...(opts.command ? { command: opts.command } : {}),
    ...(opts.maxCacheBytes !== undefined ? { maxCacheBytes: opts.maxCacheBytes } : {}),
  });
  const context = speechContext(opts.sources);
  const sentence = (body: SpeechBody) => sentenceOf(body, context);
  /** A valid request whose sentence is already cached: not counted against the rate limit. */
  const cached = (body: unknown): boolean => {
    try {
      const b = body as SpeechBody;
      if (!b || typeof b !== "object" || speechParamsProblem(b)) return false;
      const key = synthesizer.cacheKey(b.language, sentence(b));
      return existsSync(path.join(opts.cacheDir, `${key}.wav`));
    } catch {
      return false;
    }
  };
  useProblemErrors(app);
  await app.register(rateLimit, { global: false, errorResponseBuilder: rateLimitError });

  app.post<{ Body: SpeechBody }>(
    "/api/speech",
    {
      attachValidation: true,
      config: {
        rateLimit: {
          max: opts.perMinute ?? DEFAULT_SPEECH_PER_MINUTE,
          timeWindow: 60_000,
          // After the body is parsed, so a cached sentence can be told apart.
          hook: "preHandler",
          allowList: (request: { body?: unknown }) => cached(request.body),
        },
      },
      schema: { body: speechBodySchema },
    },
    async (request, reply) => {
      const invalid = request.validationError?.message ?? speechParamsProblem(request.body);
      if (invalid)
        return problem(reply, "INVALID_REQUEST", { title: "Invalid speech request", detail: invalid });
      if (!opts.enabled) {
        return problem(reply, "DEVICE_UNAVAILABLE", {
          title: "Speech is off",
          detail: "Speech is disabled in the configuration",
        });
      }
      let file: string;
      const text = sentence(request.body);
      opts.spokenLog?.add({ language: request.body.language, id: request.body.id, text });
      try {
        file = await synthesizer.synthesize(request.body.language, text);
      } catch (error) {
        if (error instanceof SpeechBusyError) {
          reply.header("retry-after", "2");
          return problem(reply, "DEVICE_UNAVAILABLE", {
            title: "Speech busy",
            detail: "Too many sentences are waiting",
          });
        }
        if (error instanceof SpeechUnavailableError) {
          request.log.warn({ err: error.message }, "speech synthesis unavailable");
          return problem(reply, "DEVICE_UNAVAILABLE", {
            title: "Speech unavailable",
            detail: "espeak-ng is not installed",
          });
        }
        request.log.error({ err: error instanceof Error ? error.message : String(error) }, "speech failed");
        return problem(reply, "DEVICE_UNAVAILABLE", {
          title: "Speech unavailable",
          detail: "Speech synthesis failed",
        });
      }
      return (
        reply
          .type("audio/wav")
          .header("cache-control", "private, max-age=86400")
          // A buffer, not a stream: audio mode abandons sentences the visitor has moved past, and an
          // aborted stream is logged as an error ("Premature close") each time.
          .send(await readFile(file))
      );
    },
  );
}

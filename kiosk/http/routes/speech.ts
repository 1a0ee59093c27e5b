/**
 * `POST /api/speech` `{ id, language, params }` → `audio/wav`: the UI asks the daemon to speak a
 * sentence of its catalogue (EAA: text-to-speech on self-service terminals), synthesised offline by
 * espeak-ng. Only catalogue sentences by id, with validated amounts — never free text; the cache
 * is size-capped, synthesis runs one at a time, and requests are rate-limited (issue 13.3).
 */
import { createReadStream } from "node:fs";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import {
  type SpeechBody,
  sentenceOf,
  speechBodySchema,
  speechParamsProblem,
} from "../../speech/catalogue.ts";
import { SpeechBusyError, SpeechSynthesizer, SpeechUnavailableError } from "../../speech/espeak.ts";
import { problem } from "../problem.ts";
import { rateLimitError, useProblemErrors } from "./route-errors.ts";

export interface SpeechRoutesOptions {
  /** The cache's own directory: everything in it may be deleted to keep it under its limit. */
  cacheDir: string;
  enabled: boolean;
  /** The espeak-ng executable (tests point it at a missing path). */
  command?: string;
  /** Cache size limit in bytes (default 32 MiB). */
  maxCacheBytes?: number;
  /** Requests per minute (default 60: a visitor changes screen a few times a minute). */
  perMinute?: number;
}

export async function speechRoutes(app: FastifyInstance, opts: SpeechRoutesOptions): Promise<void> {
  const synthesizer = new SpeechSynthesizer({
    cacheDir: opts.cacheDir,
    ...(opts.command ? { command: opts.command } : {}),
    ...(opts.maxCacheBytes !== undefined ? { maxCacheBytes: opts.maxCacheBytes } : {}),
  });
  useProblemErrors(app);
  await app.register(rateLimit, { global: false, errorResponseBuilder: rateLimitError });

  app.post<{ Body: SpeechBody }>(
    "/api/speech",
    {
      attachValidation: true,
      config: { rateLimit: { max: opts.perMinute ?? 60, timeWindow: 60_000 } },
      schema: { body: speechBodySchema },
    },
    async (request, reply) => {
      const invalid = request.validationError?.message ?? speechParamsProblem(request.body);
      if (invalid) return problem(reply, 400, "VALIDATION", "Invalid speech request", invalid);
      if (!opts.enabled) {
        return problem(
          reply,
          503,
          "DEVICE_UNAVAILABLE",
          "Speech is off",
          "Speech is disabled in the configuration",
        );
      }
      let file: string;
      try {
        file = await synthesizer.synthesize(request.body.language, sentenceOf(request.body));
      } catch (error) {
        if (error instanceof SpeechBusyError) {
          reply.header("retry-after", "2");
          return problem(reply, 503, "DEVICE_UNAVAILABLE", "Speech busy", "Too many sentences are waiting");
        }
        if (error instanceof SpeechUnavailableError) {
          request.log.warn({ err: error.message }, "speech synthesis unavailable");
          return problem(
            reply,
            503,
            "DEVICE_UNAVAILABLE",
            "Speech unavailable",
            "espeak-ng is not installed",
          );
        }
        request.log.error({ err: error instanceof Error ? error.message : String(error) }, "speech failed");
        return problem(reply, 503, "DEVICE_UNAVAILABLE", "Speech unavailable", "Speech synthesis failed");
      }
      return reply
        .type("audio/wav")
        .header("cache-control", "private, max-age=86400")
        .send(createReadStream(file));
    },
  );
}

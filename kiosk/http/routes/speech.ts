/**
 * `GET /api/speech?lang=pl&text=...` → `audio/wav`: the UI asks the daemon to speak each screen
 * (EAA: text-to-speech on self-service terminals), synthesised offline by espeak-ng and cached.
 */
import { createReadStream } from "node:fs";
import type { FastifyInstance } from "fastify";
import { type SpeechLanguage, SpeechSynthesizer, SpeechUnavailableError } from "../../speech/espeak.ts";
import { problem } from "../problem.ts";

export interface SpeechRoutesOptions {
  cacheDir: string;
  enabled: boolean;
  /** The espeak-ng executable (tests point it at a missing path). */
  command?: string;
}

const querySchema = {
  type: "object",
  required: ["lang", "text"],
  additionalProperties: false,
  properties: {
    lang: { type: "string", enum: ["pl", "en", "uk"] },
    text: { type: "string", minLength: 1, maxLength: 500 },
  },
} as const;

interface SpeechQuery {
  lang: SpeechLanguage;
  text: string;
}

export async function speechRoutes(app: FastifyInstance, opts: SpeechRoutesOptions): Promise<void> {
  const synthesizer = new SpeechSynthesizer({
    cacheDir: opts.cacheDir,
    ...(opts.command ? { command: opts.command } : {}),
  });

  app.get<{ Querystring: SpeechQuery }>(
    "/api/speech",
    {
      attachValidation: true,
      schema: {
        querystring: querySchema,
      },
    },
    async (request, reply) => {
      if (request.validationError) {
        return problem(reply, 400, "VALIDATION", "Invalid speech request", request.validationError.message);
      }
      if (!opts.enabled) {
        return problem(
          reply,
          503,
          "DEVICE_UNAVAILABLE",
          "Speech is off",
          "Speech is disabled in the configuration",
        );
      }
      const { lang, text } = request.query;
      let file: string;
      try {
        file = await synthesizer.synthesize(lang, text);
      } catch (error) {
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

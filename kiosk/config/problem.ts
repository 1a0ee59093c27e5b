/** A broken rule of a configuration file, and the error that lists them all (SPEC §3: exit code 2). */
export interface ConfigProblem {
  /** JSON Pointer into the YAML document, e.g. `/recipients/POWIAT/nrb`. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[], source?: string) {
    const head = source ? `invalid configuration ${source}` : "invalid configuration";
    super(`${head}:\n${problems.map((p) => `  ${p.path || "/"}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Reading the Prometheus text format the daemon's `/metrics` answers, in tests. */

/** The value of the sample named exactly `series` (with its labels, as written), or undefined. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

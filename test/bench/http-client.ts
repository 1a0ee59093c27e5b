/**
 * The bench's HTTP client: `node:http` over one keep-alive connection per host. The bench process
 * runs the visitor's requests, the fake office system and both device simulators inside the
 * measured window, so its own cost is part of the payment figure; undici's `fetch` (WHATWG
 * streams, a Response per answer) took about 1.7 ms more of this process's CPU per payment than
 * this (docs/benchmarks.md, "Payment overhead, fourth pass"). The daemon sees the same requests.
 */
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** One request; a JSON body is sent as such, and an answer that is not JSON gives `{}`. */
export function request(url: string, method = "GET", body?: unknown): Promise<Answer> {
  const target = new URL(url);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        agent,
        headers:
          data === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(data) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
          } catch {
            // not JSON: only the status matters then
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

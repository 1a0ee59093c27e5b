/**
 * The release bundle's stand-in for node:http2 (scripts/build-shims/http2.mjs): fastify creates its
 * server through it when given `http2: true`, so the stand-in must hand over Node's real HTTP/2 server
 * at the first call, one that answers an HTTP/2 request.
 */
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the build, without types
import { createSecureServer, createServer } from "../../../scripts/build-shims/http2.mjs";

it("creates Node's own HTTP/2 server, which answers a request", async () => {
  const server = createServer((_req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    res.end("over h2");
  }) as http2.Http2Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const body = await new Promise<string>((resolve, reject) => {
      const req = client.request({ ":path": "/" });
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        text += chunk;
      });
      req.on("end", () => resolve(text));
      req.on("error", reject);
    });
    expect(body).toBe("over h2");
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

it("creates the secure server with Node's own implementation", () => {
  const server = createSecureServer({ allowHTTP1: true }) as http2.Http2SecureServer;
  expect(Object.getPrototypeOf(server)).toBe(Object.getPrototypeOf(http2.createSecureServer({})));
});

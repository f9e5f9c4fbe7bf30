// A server that drops a kept-alive connection when it is used again (as llama-server, which
// closes after every stream although it says Keep-Alive, looks to a client that reuses the
// socket before the close arrives): the request is re-sent on a fresh socket at once, without
// a retry, a failure or the replica marked down.
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { test } from "node:test";
import { EndpointClient, type RequestLogLine } from "../../../src/endpoints/client.js";

/** Answers the first request on each connection with Keep-Alive; a second one resets it. */
async function droppingServer(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let served = 0;
    let buffer = "";
    socket.on("data", (d) => {
      buffer += d.toString();
      if (!buffer.includes("\r\n\r\n")) return;
      buffer = "";
      if (served++ > 0) return void socket.resetAndDestroy();
      const body = JSON.stringify({ ok: true });
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nKeep-Alive: timeout=5, max=100\r\n\r\n${body}`,
      );
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

test("a request on a pooled socket the server dropped is re-sent at once, not retried", async () => {
  const server = await droppingServer();
  try {
    const lines: RequestLogLine[] = [];
    const client = new EndpointClient({
      endpoint: "policy",
      baseUrls: [server.url],
      rawUrls: true,
      maxRetries: 3,
      log: (l) => lines.push(l),
    });
    for (let i = 0; i < 5; i++) {
      const r = await client.json("", { i });
      assert.deepEqual(r.value, { ok: true });
      assert.equal(r.retries, 0);
    }
    assert.ok(server.connections() >= 5, "every reuse hit a dropped socket and went again on a new one");
    assert.equal(lines.length, 5);
    assert.ok(lines.every((l) => l.status === 200 && l.attempt === 1 && !l.error));
  } finally {
    await server.close();
  }
});

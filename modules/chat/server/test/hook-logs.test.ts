import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggerOptions } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { createRoom, startReceiver, type Receiver } from "./extras-fixtures.ts";

// Webhook URLs and response URLs are credentials: the request log keeps their shape, never their secret.
let server: TestServer;
let app: Receiver;
let logs = "";

beforeAll(async () => {
  app = await startReceiver();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString("utf8");
      done();
    },
  });
  server = await startTestServer({
    env: { LOG_LEVEL: "info", OUTBOUND_ALLOW: `127.0.0.1:${app.port}` },
    log: pino(loggerOptions("info"), sink),
  });
});
afterAll(async () => {
  await server.close();
  await app.close();
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("request logs of secret-bearing URLs", () => {
  it("carry no webhook secret, slash-command token or response URL token", async () => {
    const admin = (await server.signedIn({ role: "admin" })).client;
    const roomId = await createRoom(admin, {});
    const hook = await admin.post<{ id: string; url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, {
      name: "CI",
    });
    expect(hook.status).toBe(201);
    const hookUrl = hook.body.url.replace(server.config.publicUrl, server.url);
    const secret = hookUrl.split("/").at(-1)!;
    expect((await post(hookUrl, { text: "build vert" })).status).toBe(200);
    expect((await post(`${hookUrl}x`, { text: "mauvais secret" })).status).toBe(404);
    // A method no route answers: the secret is still kept out.
    expect((await fetch(hookUrl, { method: "PUT" })).status).toBe(404);

    const command = await admin.post<{ token: string }>("/api/chat/commands", {
      command: "/journal",
      url: `${app.url}/journal`,
    });
    expect(command.status).toBe(201);
    app.respond = () => ({ status: 200, body: "" });
    const ran = await admin.post<{ responseType: string }>(`/api/chat/rooms/${roomId}/commands`, {
      command: "/journal",
      text: "plus tard",
    });
    expect(ran.body.responseType).toBe("none");
    const responseUrl = new URLSearchParams(app.requests.at(-1)!.body)
      .get("response_url")!
      .replace(server.config.publicUrl, server.url);
    const responseToken = responseUrl.split("/").at(-1)!;
    expect((await post(responseUrl, { text: "réponse différée" })).status).toBe(200);

    expect(logs).toContain(`/hooks/${hook.body.id}/[redacted]`);
    expect(logs).toContain("/hooks/commands/[redacted]");
    for (const s of [secret, responseToken, command.body.token])
      expect(logs.includes(s), `a secret (${s.slice(0, 4)}…) reached the log`).toBe(false);
  });
});

import { createHmac } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { defineEventHandler, route, type EventHandler, type Kernel } from "@ensemble/kernel";
import { randomToken } from "@ensemble/kernel";
import { SafeFetchError } from "@ensemble/kernel";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { postMessage } from "../post-message.ts";
import { roomHookRoutes } from "./room-hooks.ts";
import { chatDb } from "../tables.ts";
import { type ChatOutgoingWebhooksTable } from "./integration-tables.ts";
import { mrkdwnToMarkdown } from "./slack-payload.ts";
import { outgoingHookCreatedSchema, outgoingHookListSchema, type OutgoingHook } from "../../shared/integration-wire.ts";

export const TEAM_ID = "ensemble";
const TIMEOUT_MS = 5_000;

const createBody = z
  .object({
    name: z.string().trim().min(1).max(80),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    /** Empty: every message of the room. */
    triggerWords: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    triggerWhen: z.enum(["first_word", "starts_with"]).default("first_word"),
  })
  .strict();

const present = (h: ChatOutgoingWebhooksTable): OutgoingHook => ({
  id: h.id,
  roomId: h.room_id,
  name: h.name,
  url: h.url,
  triggerWords: JSON.parse(h.trigger_words) as string[],
  triggerWhen: h.trigger_when,
  createdBy: h.created_by,
  createdAt: h.created_at,
});

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function signRequest(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** The trigger word a message fires, "" for a hook without words, or null when it does not fire. */
export function triggerFor(text: string, words: readonly string[], when: "first_word" | "starts_with"): string | null {
  if (!words.length) return "";
  const t = text.trim();
  const first = t.split(/\s+/)[0] ?? "";
  for (const w of words) {
    if (when === "first_word" ? first === w : t.startsWith(w)) return w;
  }
  return null;
}

export function outgoingWebhookRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:roomId/outgoing-webhooks",
    summary:
      "Create an outgoing webhook: messages of this room (or those starting with a trigger word) are POSTed to a URL",
    tags: ["chat", "integrations"],
    auth: "user",
    params: z.object({ roomId: z.uuid() }),
    body: createBody,
    response: outgoingHookCreatedSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "manage",
        await loadRoom(chatDb(k), params.roomId, actor),
      );
      const row: ChatOutgoingWebhooksTable = {
        id: uuidv7(),
        room_id: room.id,
        name: body.name,
        url: body.url,
        trigger_words: JSON.stringify(body.triggerWords),
        trigger_when: body.triggerWhen,
        token: randomToken(18),
        signing_secret: randomToken(32),
        created_by: actor.id,
        created_at: new Date().toISOString(),
      };
      await db.insertInto("chat_outgoing_webhooks").values(row).execute();
      // The token and signing secret are shown here only.
      return { ...present(row), token: row.token, signingSecret: row.signing_secret };
    },
  });

  roomHookRoutes(app, k, {
    table: "chat_outgoing_webhooks",
    path: "outgoing-webhooks",
    deleteSummary: "Delete an outgoing webhook",
    list: outgoingHookListSchema,
    present,
  });
}

/**
 * Delivers people's messages to the room's outgoing webhooks. A receiver that
 * fails (network, 5xx) makes the handler throw, so the kernel retries it with
 * backoff; hooks that already answered are remembered per event and skipped.
 * A `{ "text": … }` reply is posted back into the room.
 */
export function outgoingWebhookHandler(k: Kernel): EventHandler<"chat.message.created"> {
  const db = chatDb(k);
  return defineEventHandler({
    name: "chat.outgoing_webhooks",
    events: ["chat.message.created"],
    handle: async (event) => {
      const m = event.payload.message;
      // Integration messages never trigger hooks: two bots answering each other would loop.
      if (m.kind !== "user" || m.deletedAt !== null || !m.authorId) return;
      const hooks = await db.selectFrom("chat_outgoing_webhooks").selectAll().where("room_id", "=", m.roomId).execute();
      if (!hooks.length) return;
      const done = new Set(
        (
          await db.selectFrom("chat_outgoing_deliveries").select("hook_id").where("event_id", "=", event.id).execute()
        ).map((d) => d.hook_id),
      );
      const room = await db
        .selectFrom("chat_rooms")
        .select(["id", "slug", "name"])
        .where("id", "=", m.roomId)
        .executeTakeFirst();
      const author = await db
        .selectFrom("users")
        .select(["id", "username"])
        .where("id", "=", m.authorId)
        .executeTakeFirst();
      if (!room || !author) return;
      const failures: string[] = [];
      const due = hooks.flatMap((hook) => {
        if (done.has(hook.id)) return [];
        const trigger = triggerFor(m.text, JSON.parse(hook.trigger_words) as string[], hook.trigger_when);
        return trigger === null ? [] : [{ hook, trigger }];
      });
      // Concurrently: the dispatcher waits for this handler, so one slow receiver must not add up with the others.
      const outcomes = await Promise.all(
        due.map(({ hook, trigger }) => {
          const fields = {
            token: hook.token,
            team_id: TEAM_ID,
            team_domain: new URL(k.config.publicUrl).hostname,
            channel_id: room.id,
            channel_name: room.slug ?? room.name,
            timestamp: (Date.parse(m.createdAt) / 1000).toFixed(3),
            user_id: author.id,
            user_name: author.username,
            post_id: m.id,
            text: m.text,
            trigger_word: trigger,
          };
          return deliver(k, hook, new URLSearchParams(fields).toString());
        }),
      );
      for (const [i, outcome] of outcomes.entries()) {
        const hook = due[i]!.hook;
        if (outcome.retry) {
          failures.push(`${hook.name}: ${outcome.error}`);
          continue;
        }
        await db.transaction().execute(async (tx) => {
          const first = await tx
            .insertInto("chat_outgoing_deliveries")
            .values({
              event_id: event.id,
              hook_id: hook.id,
              status: outcome.status,
              delivered_at: new Date().toISOString(),
            })
            .onConflict((oc) => oc.columns(["event_id", "hook_id"]).doNothing())
            .executeTakeFirst();
          if (Number(first.numInsertedOrUpdatedRows ?? 0) !== 1 || !outcome.reply) return;
          await postMessage(k, tx, {
            roomId: room.id,
            authorId: null,
            kind: "webhook",
            text: mrkdwnToMarkdown(outcome.reply.text),
            parentId: m.parentId,
            meta: { username: outcome.reply.username ?? hook.name, outgoingWebhookId: hook.id },
          });
        });
      }
      if (failures.length) throw new Error(`outgoing webhook delivery failed (${failures.join("; ")})`);
    },
  });
}

type Outcome =
  { retry: true; error: string } | { retry: false; status: number; reply: { text: string; username?: string } | null };

async function deliver(k: Kernel, hook: ChatOutgoingWebhooksTable, body: string): Promise<Outcome> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await k.net.fetch(hook.url, {
      method: "POST",
      body,
      maxBytes: 65_536,
      timeoutMs: TIMEOUT_MS,
      maxRedirects: 0,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        "x-ensemble-request-timestamp": timestamp,
        "x-ensemble-signature": signRequest(hook.signing_secret, timestamp, body),
      },
    });
    if (res.status >= 500 || res.status === 429) return { retry: true, error: `HTTP ${res.status}` };
    if (res.status >= 300) {
      k.log.warn({ hook: hook.id, status: res.status }, "outgoing webhook refused the message");
      return { retry: false, status: res.status, reply: null };
    }
    return { retry: false, status: res.status, reply: replyOf(res.body) };
  } catch (e) {
    // A refused target will stay refused: retrying would only fill the log.
    if (e instanceof SafeFetchError && /^(forbidden_|invalid_url)/.test(e.code)) {
      k.log.warn({ hook: hook.id, code: e.code }, "outgoing webhook target refused");
      return { retry: false, status: 0, reply: null };
    }
    return { retry: true, error: (e as Error).message };
  }
}

function replyOf(body: Buffer): { text: string; username?: string } | null {
  if (!body.length) return null;
  try {
    const j = JSON.parse(body.toString("utf8")) as { text?: unknown; username?: unknown };
    if (typeof j.text !== "string" || !j.text.trim()) return null;
    return {
      text: j.text.slice(0, 10_000),
      ...(typeof j.username === "string" && j.username.trim() ? { username: j.username.trim().slice(0, 80) } : {}),
    };
  } catch {
    return null;
  }
}

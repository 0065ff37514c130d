import { notify, type NotificationKind } from "@ensemble/kernel";
import type { PresenceStatus } from "@ensemble/protocol";
import type { ChatMessagesTable, ChatDb } from "./tables.ts";
import "./events.ts";

/** What chat notifies about, and how by default (each user changes it in their preferences). */
export const chatNotificationKinds: readonly NotificationKind[] = [
  { kind: "chat.mention", defaults: { inApp: true, push: true, email: true } },
  { kind: "chat.direct", defaults: { inApp: true, push: true, email: true } },
  { kind: "chat.thread_reply", defaults: { inApp: true, push: true, email: false } },
];

export interface NotifyAudience {
  mentioned: readonly string[];
  /** `@channel` / `@all`: every member. */
  broadcast: boolean;
  /** `@here`: the members present now, by their presence (absent from the map = offline). */
  here: ReadonlyMap<string, PresenceStatus> | null;
  direct: boolean;
  threadFollowers: readonly string[];
  members: readonly { id: string; muted: number }[];
  /** The author's display name and the room, already read by the send (no extra round trips). */
  authorName: string | null;
  room: { name: string; type: string };
}

/** Present for `@here` (Slack's "active"): online, away, and do-not-disturb (notified in-app, never pushed). */
const PRESENT: ReadonlySet<PresenceStatus> = new Set(["online", "away", "dnd"]);

/**
 * Records notification intents for a new message in its transaction: people
 * mentioned by name always; everyone for `@channel`/`@all`, the present
 * members for `@here` (in-app only for those in do-not-disturb), except
 * those who muted the room; DM participants unless muted; thread followers.
 * One intent per person (the strongest reason), keyed by message so a retry
 * never notifies twice. The kernel applies each person's preferences.
 */
export async function notifyMessage(tx: ChatDb, m: ChatMessagesTable, a: NotifyAudience): Promise<void> {
  if (m.kind === "system") return;
  const muted = new Set(a.members.filter((x) => Number(x.muted) === 1).map((x) => x.id));
  const memberIds = a.members.map((x) => x.id);
  const reasons = new Map<string, "chat.mention" | "chat.direct" | "chat.thread_reply">();
  const add = (
    ids: readonly string[],
    kind: "chat.mention" | "chat.direct" | "chat.thread_reply",
    skipMuted: boolean,
  ) => {
    for (const id of ids)
      if (id !== m.author_id && !reasons.has(id) && !(skipMuted && muted.has(id))) reasons.set(id, kind);
  };
  add(a.mentioned, "chat.mention", false);
  if (a.broadcast) add(memberIds, "chat.mention", true);
  // Only those reached through `@here` alone stay quiet: a mention by name still pushes.
  const quiet = a.here && !a.broadcast ? memberIds.filter((id) => !reasons.has(id) && a.here?.get(id) === "dnd") : [];
  if (a.here)
    add(
      memberIds.filter((id) => PRESENT.has(a.here?.get(id) ?? "offline")),
      "chat.mention",
      true,
    );
  if (a.direct) add(memberIds, "chat.direct", true);
  add(a.threadFollowers, "chat.thread_reply", false);
  if (!reasons.size) return;

  const room = a.room;
  const meta = m.meta ? (JSON.parse(m.meta) as { username?: unknown }) : {};
  const who = a.authorName ?? (typeof meta.username === "string" ? meta.username : "Ensemble");
  const where = room.type === "dm" ? "" : room.name;
  const excerpt = m.text.length > 200 ? `${m.text.slice(0, 199)}…` : m.text;
  for (const kind of ["chat.mention", "chat.direct", "chat.thread_reply"] as const) {
    const recipients = [...reasons].filter(([, k]) => k === kind).map(([id]) => id);
    if (!recipients.length) continue;
    const text =
      kind === "chat.mention"
        ? `${who} vous a mentionné${where ? ` dans ${where}` : ""}`
        : kind === "chat.direct"
          ? `Message de ${who}`
          : `${who} a répondu à un fil${where ? ` dans ${where}` : ""}`;
    const silent = kind === "chat.mention" ? quiet.filter((id) => reasons.get(id) === "chat.mention") : [];
    await notify(tx, {
      recipients,
      ...(silent.length ? { quiet: silent } : {}),
      kind,
      actorId: m.author_id,
      // The web app says it in the reader's language from the chat's labels (`notification.*` in its manifest).
      title: {
        key: `chat.notification.${kind.slice(5)}${where || kind === "chat.direct" ? "" : "NoRoom"}`,
        params: { author: who, room: where },
        text,
      },
      body: { key: "chat.notification.excerpt", params: { text: excerpt }, text: excerpt },
      link: `/chat/${m.room_id}?message=${m.id}`,
      importance: kind === "chat.thread_reply" ? "normal" : "high",
      data: { roomId: m.room_id, messageId: m.id, threadId: m.parent_id },
      key: `chat.message:${m.id}`,
    });
  }
}

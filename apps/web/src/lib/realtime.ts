import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { ConnectionState, RealtimeClient, TopicHandlers, TopicSubscription } from "@ensemble/client";

/**
 * The tab's one WebSocket to /ws (session cookie), loaded after the shell has
 * rendered so that the realtime client is not part of the start-up JavaScript.
 */
let client: Promise<RealtimeClient> | null = null;
const stateListeners = new Set<(s: ConnectionState) => void>();

export function realtime(): Promise<RealtimeClient> {
  client ??= import("@ensemble/client").then(({ RealtimeClient }) => {
    const rt = new RealtimeClient({ url: location.origin, awayAfterMs: 5 * 60_000 });
    const chosen = myStatus();
    if (chosen !== "online") rt.setPresence(chosen);
    const report = () => stateListeners.forEach((fn) => fn(rt.state));
    rt.on("open", report);
    rt.on("close", report);
    rt.on("presence", (p) => {
      if (presenceWatch.has(p.userId)) notePresence(p.userId, p.status);
    });
    return rt;
  });
  return client;
}

/** After enrolling in two-factor: the socket refused with 4004 (enrolment required) opens again. */
export async function reconnectRealtime(): Promise<void> {
  (await client)?.reconnect();
}

export async function closeRealtime(): Promise<void> {
  const c = client;
  client = null;
  shared.clear();
  // Signed out: what this tab knew of people's presence is no longer followed.
  for (const id of [...presenceOf.keys()]) notePresence(id, null);
  presenceWatch.clear();
  (await c)?.close();
}

/** Shared subscriptions: several components may follow one topic; the socket subscribes once. */
const shared = new Map<
  string,
  { sub: TopicSubscription; handlers: Set<TopicHandlers<unknown>>; readySeq: number | null }
>();

export async function follow<P>(topic: string, handlers: TopicHandlers<P>): Promise<() => void> {
  const rt = await realtime();
  let entry = shared.get(topic);
  if (!entry) {
    const set = new Set<TopicHandlers<unknown>>();
    const sub = rt.subscribe<unknown>(topic, {
      onEvent: (e, seq) => set.forEach((h) => h.onEvent(e, seq)),
      onResync: (seq) => set.forEach((h) => h.onResync?.(seq)),
      onRefused: (r) => set.forEach((h) => h.onRefused?.(r)),
      onReady: (seq) => {
        const cur = shared.get(topic);
        if (cur?.handlers === set) cur.readySeq = seq;
        set.forEach((h) => h.onReady?.(seq));
      },
    });
    entry = { sub, handlers: set, readySeq: null };
    shared.set(topic, entry);
  } else {
    // Joining a topic already confirmed: this follower's data may predate it too.
    const seq = entry.readySeq;
    if (seq !== null) queueMicrotask(() => handlers.onReady?.(seq));
  }
  const e = entry;
  e.handlers.add(handlers as TopicHandlers<unknown>);
  return () => {
    e.handlers.delete(handlers as TopicHandlers<unknown>);
    if (e.handlers.size === 0 && shared.get(topic) === e) {
      shared.delete(topic);
      e.sub.unsubscribe();
    }
  };
}

export function useConnectionState(enabled: boolean): ConnectionState | null {
  const [state, setState] = useState<ConnectionState | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    stateListeners.add(setState);
    void realtime().then((rt) => live && setState(rt.state));
    return () => {
      live = false;
      stateListeners.delete(setState);
    };
  }, [enabled]);
  return state;
}

export type Presence = "online" | "away" | "dnd" | "offline";

/**
 * The one place the tab keeps each person's presence: every dot, badge and
 * chip reads it, so the sidebar, a message, the thread panel and a profile
 * card never disagree. The server sends a person's status when their
 * `presence:<id>` topic is first subscribed and on each change; a component
 * mounted later reads what was already received instead of waiting for an
 * event that will not come again (the topic is shared).
 */
const presenceOf = new Map<string, Presence>();
const presenceListeners = new Map<string, Set<() => void>>();
const presenceWatch = new Map<string, { count: number; stop: Promise<() => void> }>();

function notePresence(userId: string, status: Presence | null): void {
  if (status) presenceOf.set(userId, status);
  else presenceOf.delete(userId);
  presenceListeners.get(userId)?.forEach((fn) => fn());
}

/** Follows `presence:<id>` while at least one component shows that person. */
function watchPresence(userId: string, onChange: () => void): () => void {
  let set = presenceListeners.get(userId);
  if (!set) presenceListeners.set(userId, (set = new Set()));
  set.add(onChange);
  const w = presenceWatch.get(userId);
  if (w) w.count++;
  else presenceWatch.set(userId, { count: 1, stop: follow(`presence:${userId}`, { onEvent: () => {} }) });
  return () => {
    set.delete(onChange);
    if (set.size === 0) presenceListeners.delete(userId);
    const cur = presenceWatch.get(userId);
    if (!cur || --cur.count > 0) return;
    presenceWatch.delete(userId);
    // Nobody shows this person now: a later subscription brings a fresh status, never a stale one.
    presenceOf.delete(userId);
    void cur.stop.then((stop) => stop());
  };
}

/** A person's presence, live (ephemeral: never stored); null until the server has said. */
export function usePresence(userId: string | undefined): Presence | null {
  const subscribe = useCallback(
    (onChange: () => void) => (userId ? watchPresence(userId, onChange) : () => {}),
    [userId],
  );
  return useSyncExternalStore(subscribe, () => (userId ? (presenceOf.get(userId) ?? null) : null));
}

export type MyStatus = "online" | "away" | "dnd";
const STATUS_KEY = "ensemble.presence";

/** The status this person chose on this device (kept across reloads; the client re-sends it on reconnect). */
export function myStatus(): MyStatus {
  const v = localStorage.getItem(STATUS_KEY);
  return v === "away" || v === "dnd" ? v : "online";
}

export async function setMyStatus(status: MyStatus): Promise<void> {
  localStorage.setItem(STATUS_KEY, status);
  (await realtime()).setPresence(status);
}

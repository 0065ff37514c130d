import { useEffect, useState } from "react";
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

/** A person's presence, live (ephemeral: never stored). */
export function usePresence(userId: string | undefined): Presence | null {
  const [status, setStatus] = useState<Presence | null>(null);
  useEffect(() => {
    if (!userId) return;
    let stop: (() => void) | null = null;
    let offPresence: (() => void) | null = null;
    let live = true;
    void realtime().then(async (rt) => {
      if (!live) return;
      offPresence = rt.on("presence", (p) => {
        if (p.userId === userId) setStatus(p.status);
      });
      const unfollow = await follow(`presence:${userId}`, { onEvent: () => {} });
      if (live) stop = unfollow;
      else unfollow();
    });
    return () => {
      live = false;
      offPresence?.();
      stop?.();
    };
  }, [userId]);
  return status;
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

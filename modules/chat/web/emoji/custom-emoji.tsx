import { useEffect, useSyncExternalStore } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CUSTOM_EMOJI_TOPIC, type CustomEmoji } from "../../shared/emoji-data.ts";
import "./custom-emoji.css";
import { emojiOf } from "../emoji.ts";
import { useHost } from "../host.tsx";

/**
 * The organisation's custom emoji, kept in a small store outside React Query
 * so that the Markdown renderer (plain functions) can look names up; the
 * components that show them subscribe to re-render when the list changes.
 */
let byName: ReadonlyMap<string, CustomEmoji> = new Map();
let list: readonly CustomEmoji[] = [];
const listeners = new Set<() => void>();

export const customEmoji = {
  get: (name: string): CustomEmoji | undefined => byName.get(name),
  all: (): readonly CustomEmoji[] => list,
  set(items: readonly CustomEmoji[]): void {
    list = items;
    byName = new Map(items.map((e) => [e.name, e]));
    for (const fn of listeners) fn();
  },
  subscribe(fn: () => void): () => void {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};

/** The current list; the component re-renders when an emoji is added or removed. */
export function useCustomEmoji(): readonly CustomEmoji[] {
  return useSyncExternalStore(customEmoji.subscribe, customEmoji.all, customEmoji.all);
}

export const customEmojiKey = ["chat", "emoji"] as const;

/**
 * Loads the list and keeps it fresh: the `chat:emoji` topic tells when an
 * administrator adds or removes one; a refetch on focus covers a missed event.
 * Mounted once by the chat layout.
 */
export function CustomEmojiFeed() {
  const host = useHost();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: customEmojiKey,
    queryFn: () => host.api<{ items: CustomEmoji[] }>("GET", "/api/chat/emoji"),
    staleTime: 60_000,
  });
  useEffect(() => {
    if (q.data) customEmoji.set(q.data.items);
  }, [q.data]);
  useEffect(() => {
    const refetch = () => void qc.invalidateQueries({ queryKey: customEmojiKey });
    const stop = host.follow<unknown>(CUSTOM_EMOJI_TOPIC, { onEvent: refetch, onResync: refetch });
    return () => void stop.then((fn) => fn());
  }, [host, qc]);
  return null;
}

/** `:name:` of a custom emoji as an inline image (its name is the text alternative). */
export function CustomEmojiImage({ emoji, size = "inline" }: { emoji: CustomEmoji; size?: "inline" | "large" }) {
  return (
    <img
      src={emoji.url}
      alt={`:${emoji.name}:`}
      title={`:${emoji.name}:`}
      className={`chat-custom-emoji chat-custom-emoji-${size}`}
      loading="lazy"
      decoding="async"
    />
  );
}

/** A custom emoji's name in the form reactions and text use it (`:name:`), or null for anything else. */
export const customNameOf = (emoji: string): string | null => /^:([a-z0-9_+-]{2,32}):$/.exec(emoji)?.[1] ?? null;

/** A reaction's emoji: a custom one's picture while it exists, else the character or `:name:`. */
export function ReactionEmoji({ emoji }: { emoji: string }) {
  useCustomEmoji();
  const name = customNameOf(emoji);
  const custom = name ? customEmoji.get(name) : undefined;
  return custom ? <CustomEmojiImage emoji={custom} /> : <>{emojiOf(emoji)}</>;
}

import { useEffect, useState } from "react";
import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useHost } from "./host.tsx";
import type { Names } from "./MessageItem.tsx";

const SHOWN_MS = 6_000;

/** "Alice is typing…": typing signals are ephemeral and fade unless renewed. */
export function TypingIndicator({ roomId, names }: { roomId: string; names: Names }) {
  const { t } = useTranslation("chat");
  const host = useHost();
  const [typers, setTypers] = useState<Map<string, number>>(new Map());
  useEffect(() => {
    setTypers(new Map());
    return host.onTyping((e) => {
      if (e.topic !== `room:${roomId}` || e.userId === host.me.id) return;
      setTypers((m) => new Map(m).set(e.userId, Date.now() + SHOWN_MS));
    });
  }, [host, roomId]);
  useEffect(() => {
    if (!typers.size) return;
    const next = Math.min(...typers.values()) - Date.now();
    const tm = setTimeout(
      () => setTypers((m) => new Map([...m].filter(([, until]) => until > Date.now()))),
      Math.max(50, next),
    );
    return () => clearTimeout(tm);
  }, [typers]);
  const who = [...typers.keys()].map((id) => names.get(id)?.displayName ?? "…");
  return (
    <Text size="xs" c="dimmed" px="md" className="chat-typing" aria-live="polite" data-testid="typing">
      {who.length === 0
        ? "\u00a0"
        : who.length === 1
          ? t("typing.one", { name: who[0] })
          : t("typing.many", { names: who.join(", ") })}
    </Text>
  );
}

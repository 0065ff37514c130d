import { useTranslation } from "react-i18next";
import { useHost } from "./host.tsx";

const COLOURS = {
  online: "var(--mantine-color-green-7)",
  away: "var(--mantine-color-yellow-6)",
  dnd: "var(--mantine-color-red-7)",
  offline: "var(--mantine-color-gray-5)",
};

/** A person's live presence as a small dot with a text alternative. */
export function PresenceDot({ userId }: { userId: string }) {
  const { t } = useTranslation("chat");
  const status = useHost().usePresence(userId) ?? "offline";
  return (
    <span
      className="chat-presence"
      style={{ background: COLOURS[status] }}
      role="img"
      aria-label={t(`presence.${status}`)}
      data-presence={status}
      data-user-id={userId}
    />
  );
}

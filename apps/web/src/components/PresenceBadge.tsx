import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { usePresence, type Presence } from "../lib/realtime.ts";

const COLOURS: Record<Presence, string> = { online: "green", away: "yellow", dnd: "red", offline: "gray" };

/** A person's live presence as a badge, read from the tab's one presence store (the chat's dots read the same). */
export function PresenceBadge({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const status = usePresence(userId);
  if (!status) return null;
  return (
    <Badge color={COLOURS[status]} variant="light" data-testid="presence" data-status={status} data-user-id={userId}>
      {t(`people.presence.${status}`)}
    </Badge>
  );
}

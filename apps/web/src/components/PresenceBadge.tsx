import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Presence } from "../lib/realtime.ts";

const COLOURS: Record<Presence, string> = { online: "green", away: "yellow", dnd: "red", offline: "gray" };

export function PresenceBadge({ status }: { status: Presence | null }) {
  const { t } = useTranslation();
  if (!status) return null;
  return (
    <Badge color={COLOURS[status]} variant="light" data-testid="presence" data-status={status}>
      {t(`people.presence.${status}`)}
    </Badge>
  );
}

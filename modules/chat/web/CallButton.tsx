import { useState } from "react";
import { ActionIcon, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPhone } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Room } from "../shared/schemas.ts";
import { useChatApi } from "./hooks.ts";
import { useProblemText } from "./i18n.ts";

/**
 * « Lancer un appel » in a room's header, for those the server lets start one
 * (`room.actions` has `call`: they may post and a meetings service runs): an
 * instant meeting is announced in the room with a join button, and the caller
 * goes to its page.
 */
export function CallButton({ room }: { room: Room }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const navigate = useNavigate();
  const problem = useProblemText();
  const [busy, setBusy] = useState(false);
  if (!room.actions.includes("call")) return null;
  const start = async () => {
    setBusy(true);
    try {
      const message = await api.call(room.id);
      const path = message.attachments?.find((a) => a.call)?.call?.path;
      if (path) void navigate(path);
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Tooltip label={t("call.start")} withinPortal>
      <ActionIcon variant="subtle" aria-label={t("call.start")} loading={busy} onClick={() => void start()}>
        <IconPhone size={18} aria-hidden="true" />
      </ActionIcon>
    </Tooltip>
  );
}

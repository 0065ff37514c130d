import { useState } from "react";
import { ActionIcon, Button, Group, Menu, Modal, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import {
  IconArrowForwardUp,
  IconBookmark,
  IconDots,
  IconLink,
  IconMessageReply,
  IconMoodSmile,
  IconPencil,
  IconPin,
  IconPinnedOff,
  IconQuote,
  IconTrash,
  IconEyeOff,
  IconFlag,
} from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import { EmojiPicker } from "./EmojiPicker.tsx";
import { useChatApi } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";
import { ReportModal } from "./moderation/ReportModal.tsx";
import { markUnread } from "./unread.ts";

export interface MessageCallbacks {
  onThread?: (m: ChatMessage) => void;
  onEdit: (m: ChatMessage) => void;
  onQuote: (m: ChatMessage) => void;
  onForward: (m: ChatMessage) => void;
}

/** The hover toolbar of a message: react, reply in thread, and the rest in a menu. */
export function MessageActions({
  m,
  cb,
  onReact,
}: {
  m: ChatMessage;
  cb: MessageCallbacks;
  onReact: (emoji: string) => void;
}) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const qc = useQueryClient();
  const { me } = useHost();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [reporting, setReporting] = useState(false);
  // The toolbar shows on hover; while its menu is open it stays, or the menu would lose its anchor.
  const [menuOpen, setMenuOpen] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const own = m.authorId === me.id;
  const problem = useProblemText();
  const fail = (e: unknown) => notifications.show({ color: "red", message: problem(e) });
  const act = (p: Promise<unknown>, done?: string) => p.then(() => done && notifications.show({ message: done }), fail);
  const permalink = `${location.origin}/chat/${m.roomId}?message=${m.id}`;
  return (
    <div className={`chat-actions${menuOpen || pickerOpen ? " chat-actions-open" : ""}`} data-testid="message-actions">
      <EmojiPicker
        onPick={onReact}
        onOpenChange={setPickerOpen}
        target={(toggle) => (
          <Tooltip label={t("message.react")} withinPortal>
            <ActionIcon variant="subtle" size="sm" onClick={toggle} aria-label={t("message.react")}>
              <IconMoodSmile size={16} aria-hidden="true" />
            </ActionIcon>
          </Tooltip>
        )}
      />
      {cb.onThread && (
        <Tooltip label={t("message.replyInThread")} withinPortal>
          <ActionIcon
            variant="subtle"
            size="sm"
            onClick={() => cb.onThread?.(m)}
            aria-label={t("message.replyInThread")}
          >
            <IconMessageReply size={16} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      )}
      <Menu position="bottom-end" withinPortal opened={menuOpen} onChange={setMenuOpen}>
        <Menu.Target>
          <ActionIcon variant="subtle" size="sm" aria-label={t("message.more")} data-action="more">
            <IconDots size={16} aria-hidden="true" />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {own && m.kind === "user" && (
            <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => cb.onEdit(m)}>
              {t("message.edit")}
            </Menu.Item>
          )}
          <Menu.Item leftSection={<IconQuote size={14} />} onClick={() => cb.onQuote(m)}>
            {t("message.quote")}
          </Menu.Item>
          <Menu.Item leftSection={<IconArrowForwardUp size={14} />} onClick={() => cb.onForward(m)}>
            {t("message.forward")}
          </Menu.Item>
          <Menu.Item
            leftSection={m.pinnedAt ? <IconPinnedOff size={14} /> : <IconPin size={14} />}
            onClick={() => void act(api.pin(m.id, !m.pinnedAt))}
          >
            {m.pinnedAt ? t("message.unpin") : t("message.pin")}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconBookmark size={14} />}
            onClick={() => void act(api.save(m.id, true), t("message.saved"))}
          >
            {t("message.save")}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconLink size={14} />}
            onClick={() => void act(navigator.clipboard.writeText(permalink), t("message.linkCopied"))}
          >
            {t("message.copyLink")}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconEyeOff size={14} />}
            onClick={() => void act(markUnread(api, qc, m.roomId, m.id))}
          >
            {t("message.markUnread")}
          </Menu.Item>
          {!own && (
            <Menu.Item leftSection={<IconFlag size={14} />} onClick={() => setReporting(true)}>
              {t("moderation.report")}
            </Menu.Item>
          )}
          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setConfirmDelete(true)}>
            {t("message.delete")}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t("message.deleteTitle")} centered>
        <Text size="sm">{t("message.deleteConfirm")}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirmDelete(false)}>
            {t("common.cancel")}
          </Button>
          <Button
            color="red"
            onClick={() => {
              setConfirmDelete(false);
              void act(api.remove(m.id));
            }}
          >
            {t("message.delete")}
          </Button>
        </Group>
      </Modal>
      <ReportModal message={reporting ? m : null} onClose={() => setReporting(false)} />
    </div>
  );
}

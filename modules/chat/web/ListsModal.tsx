import { Button, Group, Modal, Stack, Text, UnstyledButton } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import { useChatApi } from "./hooks.ts";
import { formatDate } from "@ensemble/ui";

/** "My threads" (followed threads, latest reply first) and "saved for later"; a click opens the message in place. */
export function ListsModal({ kind, onClose }: { kind: "threads" | "saved" | null; onClose: () => void }) {
  const { t, i18n } = useTranslation("chat");
  const api = useChatApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: ["chat", "lists", kind],
    queryFn: async (): Promise<ChatMessage[]> =>
      kind === "saved" ? (await api.saved()).items.map((s) => s.message) : (await api.threads()).items,
    enabled: kind !== null,
  });
  const open = (m: ChatMessage) => {
    onClose();
    navigate(
      kind === "threads" ? `/chat/${m.roomId}?thread=${m.id}&message=${m.id}` : `/chat/${m.roomId}?message=${m.id}`,
    );
  };
  return (
    <Modal
      opened={kind !== null}
      onClose={onClose}
      title={kind === "saved" ? t("lists.saved") : t("lists.threads")}
      size="lg"
    >
      <Stack gap={4} data-testid="lists">
        {list.data?.length === 0 && (
          <Text size="sm">{kind === "saved" ? t("lists.noSaved") : t("lists.noThreads")}</Text>
        )}
        {list.data?.map((m) => (
          <Group key={m.id} wrap="nowrap" gap="xs" align="flex-start">
            <UnstyledButton className="chat-directory-item" style={{ flex: 1, minWidth: 0 }} onClick={() => open(m)}>
              <Group gap={6}>
                <Text size="sm" fw={700}>
                  {m.author?.displayName}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDate(m.createdAt, "dateTime", i18n.language)}
                </Text>
                {kind === "threads" && (
                  <Text size="xs" c="dimmed">
                    {t("thread.replies", { count: m.replyCount })}
                  </Text>
                )}
              </Group>
              <Text size="sm" lineClamp={2}>
                {m.text}
              </Text>
            </UnstyledButton>
            {kind === "saved" && (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() =>
                  void api.save(m.id, false).then(() => qc.invalidateQueries({ queryKey: ["chat", "lists", "saved"] }))
                }
              >
                {t("lists.unsave")}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Modal>
  );
}

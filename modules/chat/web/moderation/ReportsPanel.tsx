import { useState } from "react";
import { Button, Group, Loader, Modal, Paper, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useProblemText } from "../i18n.ts";
import { modKeys, useModerationApi, useOpenReports, type Report, type ReportResolution } from "./api.ts";
import { formatDate } from "@ensemble/ui";

const when = (iso: string, locale: string) => formatDate(iso, "dateTime", locale);

/** Open reports of the room: what was said, by whom, why; see it in context, dismiss, or delete the message. */
export function ReportsPanel({
  roomId,
  onOpenMessage,
}: {
  roomId: string;
  onOpenMessage: (messageId: string) => void;
}) {
  const { t, i18n } = useTranslation("chat");
  const api = useModerationApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const reports = useOpenReports(roomId, true);
  const [deleting, setDeleting] = useState<Report | null>(null);
  const resolve = async (r: Report, resolution: ReportResolution, deleteMessage = false) => {
    try {
      await api.resolve(r.id, { resolution, deleteMessage });
      notifications.show({ message: deleteMessage ? t("moderation.messageDeleted") : t("moderation.resolved") });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
    void qc.invalidateQueries({ queryKey: modKeys.reports(roomId) });
  };

  if (reports.isPending) return <Loader size="sm" m="md" aria-label={t("moderation.loading")} />;
  if (reports.isError)
    return (
      <Text role="alert" c="red.8" size="sm">
        {problem(reports.error)}
      </Text>
    );
  const items = reports.data.items;
  if (!items.length)
    return (
      <Text c="dimmed" size="sm" ta="center" py="lg" data-testid="reports-empty">
        {t("moderation.noReports")}
      </Text>
    );
  return (
    <Stack gap="sm" data-testid="reports">
      {items.map((r) => (
        <Paper key={r.id} withBorder p="sm" data-testid="report">
          <Text size="xs" c="dimmed">
            {t("moderation.reportedBy", {
              name: r.reporter ? `@${r.reporter.username}` : t("message.unknownAuthor"),
              date: when(r.createdAt, i18n.language),
            })}
          </Text>
          <Text size="sm" fw={600} mt={4}>
            {t("moderation.reasonShown", { reason: r.reason })}
          </Text>
          <Paper bg="var(--mantine-color-default-hover)" p="xs" mt={6}>
            <Text size="xs" fw={700}>
              {r.message.author ? `@${r.message.author.username}` : t("message.unknownAuthor")}
            </Text>
            {r.message.deletedAt ? (
              <Text size="sm" fs="italic" c="dimmed">
                {t("message.deleted")}
              </Text>
            ) : (
              <Text size="sm" lineClamp={4} data-testid="report-excerpt">
                {r.message.text}
              </Text>
            )}
          </Paper>
          <Group gap="xs" mt="xs">
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => onOpenMessage(r.message.id)}
              disabled={!!r.message.deletedAt}
            >
              {t("moderation.seeMessage")}
            </Button>
            <Button size="compact-sm" variant="default" onClick={() => void resolve(r, "dismissed")}>
              {t("moderation.dismiss")}
            </Button>
            <Button size="compact-sm" variant="default" onClick={() => void resolve(r, "handled")}>
              {t("moderation.markHandled")}
            </Button>
            {!r.message.deletedAt && (
              <Button size="compact-sm" color="red" variant="light" onClick={() => setDeleting(r)}>
                {t("moderation.deleteMessage")}
              </Button>
            )}
          </Group>
        </Paper>
      ))}
      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title={t("moderation.deleteTitle")}
        centered
        closeButtonProps={{ "aria-label": t("moderation.close") }}
      >
        <Text size="sm">{t("moderation.deleteConfirm")}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setDeleting(null)}>
            {t("common.cancel")}
          </Button>
          <Button
            color="red"
            onClick={() => {
              const r = deleting;
              setDeleting(null);
              if (r) void resolve(r, "handled", true);
            }}
          >
            {t("moderation.deleteMessage")}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

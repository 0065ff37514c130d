import { useState } from "react";
import { Button, Group, Modal, Radio, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../../shared/schemas.ts";
import { useProblemText } from "../i18n.ts";
import { problemCode } from "../host.tsx";
import { useModerationApi } from "./api.ts";

export const REPORT_REASONS = ["spam", "harassment", "inappropriate", "other"] as const;

/**
 * Reports a message to the room's moderators. The server keeps one free-text
 * reason: the chosen category, then the person's words.
 */
export function ReportModal({ message, onClose }: { message: ChatMessage | null; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useModerationApi();
  const problem = useProblemText();
  const [kind, setKind] = useState<string>("spam");
  const [details, setDetails] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setKind("spam");
    setDetails("");
    setError(null);
    onClose();
  };
  const needsDetails = kind === "other" && !details.trim();
  const submit = async () => {
    if (!message || needsDetails) return;
    setBusy(true);
    setError(null);
    const label = t(`moderation.reasons.${kind}`);
    const reason = details.trim() ? `${label} — ${details.trim()}` : label;
    try {
      await api.report(message.id, reason.slice(0, 1000));
      notifications.show({ message: t("moderation.reported") });
      close();
    } catch (e) {
      setError(problemCode(e) === "conflict" ? t("moderation.alreadyReported") : problem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={!!message}
      onClose={close}
      title={t("moderation.reportTitle")}
      centered
      closeButtonProps={{ "aria-label": t("moderation.close") }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed" lineClamp={3}>
          {message?.text}
        </Text>
        <Radio.Group label={t("moderation.reasonLabel")} value={kind} onChange={setKind}>
          <Stack gap={6} mt={6}>
            {REPORT_REASONS.map((r) => (
              <Radio key={r} value={r} label={t(`moderation.reasons.${r}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea
          label={t("moderation.detailsLabel")}
          description={t("moderation.detailsHint")}
          value={details}
          onChange={(e) => setDetails(e.currentTarget.value)}
          maxLength={900}
          autosize
          minRows={2}
          required={kind === "other"}
        />
        {error && (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t("common.cancel")}
          </Button>
          <Button color="red" onClick={() => void submit()} loading={busy} disabled={needsDetails}>
            {t("moderation.reportSend")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

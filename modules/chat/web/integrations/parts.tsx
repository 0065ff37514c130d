import { useState, type ReactNode } from "react";
import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Paper, Stack, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy, IconTrash } from "@tabler/icons-react";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { useProblemText } from "../i18n.ts";
import { formatDate } from "@ensemble/ui";

/** A value to copy (a secret URL, a signing secret), selectable as text too. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useTranslation("chat");
  return (
    <Stack gap={2}>
      <Text size="xs" fw={600}>
        {label}
      </Text>
      <Group gap={4} wrap="nowrap" align="flex-start">
        <Code block style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t("integrations.copied") : t("integrations.copy")} withinPortal>
              <ActionIcon variant="subtle" onClick={copy} aria-label={t("integrations.copyWhat", { what: label })}>
                {copied ? <IconCheck size={16} aria-hidden="true" /> : <IconCopy size={16} aria-hidden="true" />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/** What was just created, with its secrets: shown once, the server keeps no readable copy. */
export function ShownOnce({ title, children, onDone }: { title: string; children: ReactNode; onDone: () => void }) {
  const { t } = useTranslation("chat");
  return (
    <Alert color="green" title={title} data-testid="created-integration">
      <Stack gap="xs">
        <Text size="xs">{t("integrations.shownOnce")}</Text>
        {children}
        <Group justify="flex-end">
          <Button size="compact-sm" variant="default" onClick={onDone}>
            {t("integrations.done")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** A listed integration with a delete button that asks first. */
export function IntegrationRow({
  name,
  children,
  onDelete,
  deleteLabel,
}: {
  name: string;
  children: ReactNode;
  onDelete: () => Promise<void>;
  deleteLabel: string;
}) {
  const { t } = useTranslation("chat");
  const [asking, setAsking] = useState(false);
  return (
    <Paper withBorder p="xs" data-testid="integration">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>
            {name}
          </Text>
          {children}
        </div>
        <Tooltip label={deleteLabel} withinPortal>
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={() => setAsking(true)}
            aria-label={`${deleteLabel} ${name}`}
          >
            <IconTrash size={16} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Modal
        opened={asking}
        onClose={() => setAsking(false)}
        title={t("integrations.deleteTitle", { name })}
        centered
        closeButtonProps={{ "aria-label": t("integrations.close") }}
      >
        <Text size="sm">{t("integrations.deleteConfirm")}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setAsking(false)}>
            {t("common.cancel")}
          </Button>
          <Button
            color="red"
            onClick={() => {
              setAsking(false);
              void onDelete();
            }}
          >
            {deleteLabel}
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}

export const shortDate = (iso: string, locale: string) => formatDate(iso, "dateTime", locale);

/**
 * An integrations panel's create and delete calls: the form's busy state and
 * error, what was created (its secret is shown once), a notice for a deletion;
 * the list is refetched after either.
 */
export function useCreateRemove<C>(refresh: () => void) {
  const { t } = useTranslation("chat");
  const problem = useProblemText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<C | null>(null);
  const create = async (call: () => Promise<C>, reset: () => void) => {
    setBusy(true);
    setError(null);
    try {
      setCreated(await call());
      reset();
      refresh();
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (call: () => Promise<unknown>) => {
    try {
      await call();
      notifications.show({ message: t("integrations.deleted") });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
    refresh();
  };
  return { busy, error, created, setCreated, create, remove };
}

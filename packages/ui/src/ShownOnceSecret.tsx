import type { ReactNode } from "react";
import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

/**
 * A secret the server shows once (an app password, a bot's token, an
 * invitation link): the value, a copy button, and what to do with it. Closed
 * by the person once they have kept it (`onClose`), when given.
 */
export function ShownOnceSecret({
  title,
  intro,
  value,
  hint,
  copyLabel,
  copiedLabel,
  onClose,
  closeLabel,
  color = "green",
  testId,
  valueTestId,
}: {
  title?: ReactNode;
  intro?: ReactNode;
  value: string;
  hint?: ReactNode;
  copyLabel: string;
  copiedLabel: string;
  onClose?: () => void;
  closeLabel?: string;
  color?: string;
  testId?: string;
  valueTestId?: string;
}) {
  return (
    <Alert
      color={color}
      role="status"
      title={title}
      withCloseButton={!!onClose}
      {...(onClose ? { onClose, closeButtonLabel: closeLabel } : {})}
      data-testid={testId}
    >
      <Stack gap="xs">
        {intro && <Text size="sm">{intro}</Text>}
        <Group gap="xs" wrap="nowrap">
          <Code block style={{ flex: 1, wordBreak: "break-all" }} data-testid={valueTestId}>
            {value}
          </Code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant="light"
                onClick={copy}
                leftSection={
                  copied ? <IconCheck size={14} aria-hidden="true" /> : <IconCopy size={14} aria-hidden="true" />
                }
              >
                {copied ? copiedLabel : copyLabel}
              </Button>
            )}
          </CopyButton>
        </Group>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

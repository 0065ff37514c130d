import { Loader, Popover, Stack, Text, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import { useHost } from "./host.tsx";
import { Markdown } from "./Markdown.tsx";
import { formatDate } from "@ensemble/ui";

interface Edit {
  text: string;
  editedBy: string | null;
  replacedAt: string;
}

const when = (iso: string, lang: string) => formatDate(iso, "short", lang);

/** "(modifié)": a button that shows the earlier versions of the message, oldest first. */
export function EditedMark({ m }: { m: ChatMessage }) {
  const { t } = useTranslation("chat");
  return (
    // The focus goes into the history (Esc closes it) and back to « (modifié) ».
    <Popover position="bottom-start" withinPortal shadow="md" width={320} trapFocus returnFocus>
      <Popover.Target>
        <UnstyledButton
          className="chat-edited"
          data-testid="edited"
          aria-label={`${t("message.edited")} ${t("actions.editHistory")}`}
          aria-haspopup="dialog"
        >
          <Text size="xs" c="dimmed" span td="underline dotted">
            {t("message.edited")}
          </Text>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown role="dialog" aria-label={t("actions.editHistory")} data-testid="edit-history">
        <EditList m={m} />
      </Popover.Dropdown>
    </Popover>
  );
}

function EditList({ m }: { m: ChatMessage }) {
  const { t, i18n } = useTranslation("chat");
  const host = useHost();
  const me = host.me;
  // Keyed on the edit time: a new edit adds a version.
  const q = useQuery({
    queryKey: ["chat", "edits", m.id, m.editedAt],
    queryFn: () => host.api<{ items: Edit[] }>("GET", `/api/chat/messages/${m.id}/edits`),
    staleTime: 60_000,
  });
  if (q.isPending) return <Loader size="xs" aria-label={t("actions.loadingHistory")} />;
  if (q.isError)
    return (
      <Text size="sm" role="alert">
        {t("actions.historyFailed")}
      </Text>
    );
  if (!q.data.items.length) return <Text size="sm">{t("actions.noHistory")}</Text>;
  return (
    <Stack gap="xs">
      <Text size="xs" fw={700}>
        {t("actions.earlierVersions")}
      </Text>
      {q.data.items.map((e, i) => (
        <div key={i} data-testid="edit-version">
          <Text size="xs" c="dimmed">
            {t("actions.replacedAt", { time: when(e.replacedAt, i18n.language) })}
          </Text>
          <Markdown text={e.text} meUsername={me.username} />
        </div>
      ))}
    </Stack>
  );
}

/** What was forwarded, as it was then (readers of this room may not see the source room). */
export function Forwarded({ m }: { m: ChatMessage }) {
  const { t, i18n } = useTranslation("chat");
  const { me } = useHost();
  const f = m.meta?.forwarded ?? null;
  const author = f?.author?.displayName ?? t("message.unknownAuthor");
  return (
    <div data-testid="forwarded">
      <Text size="xs" c="dimmed">
        {t("message.forwarded")}
      </Text>
      {f && (
        <blockquote className="chat-quote" aria-label={t("actions.forwardedFrom", { author })}>
          <Text size="xs" fw={700}>
            {author}
            {f.createdAt && (
              <Text span size="xs" c="dimmed" fw={400}>
                {" "}
                · {when(f.createdAt, i18n.language)}
              </Text>
            )}
          </Text>
          <Markdown text={f.text} meUsername={me.username} />
        </blockquote>
      )}
    </div>
  );
}

import { useCallback, useMemo, useSyncExternalStore } from "react";
import { CloseButton, Group, Paper, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { EphemeralMessage } from "../../shared/events.ts";
import type { Suggestion } from "../Autocomplete.tsx";
import { upsertSentMessage } from "../cache.ts";
import { useProblemText } from "../i18n.ts";
import { Markdown } from "../Markdown.tsx";
import { useHost } from "../host.tsx";
import { intKeys, useIntegrationsApi, type SlashCommand } from "./api.ts";

/**
 * The organisation's slash commands (built-in and custom), for the composer. A built-in's description is the
 * chat's own text in the reader's language (the server's is French); a custom one reads as its author wrote it.
 */
export function useSlashCommands(): SlashCommand[] {
  const { t } = useTranslation("chat");
  const api = useIntegrationsApi();
  const items = useQuery({ queryKey: intKeys.commands, queryFn: api.commands, staleTime: 5 * 60_000 }).data?.items;
  return useMemo(
    () =>
      (items ?? []).map((c) =>
        c.builtIn
          ? { ...c, description: t(`slashCommands.${c.command.slice(1)}`, { defaultValue: c.description }) }
          : c,
      ),
    [items, t],
  );
}

/** `/na` typed at the very start of the message: the commands it may name. */
export function commandSuggestions(text: string, caret: number, commands: SlashCommand[]): Suggestion[] {
  const m = /^\/([a-z0-9_-]*)$/i.exec(text.slice(0, caret));
  if (!m) return [];
  const q = `/${m[1]!.toLowerCase()}`;
  return commands
    .filter((c) => c.command.startsWith(q))
    .slice(0, 8)
    .map((c) => ({
      key: `cmd:${c.command}`,
      insert: `${c.command} `,
      label: c.command,
      ...(c.description ? { hint: c.description } : {}),
    }));
}

interface Reply {
  id: string;
  roomId: string;
  parentId: string | null;
  /** Who answers: the command, or Ensemble for built-ins. */
  from: string;
  text: string;
  error: boolean;
}

// Answers shown to the person who typed the command only; never part of the room, gone on reload.
let replies: Reply[] = [];
const listeners = new Set<() => void>();
const setReplies = (next: Reply[]) => {
  replies = next;
  listeners.forEach((fn) => fn());
};
const subscribe = (fn: () => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

/**
 * An answer meant for this person only, arriving on their `user:` topic (so
 * every device shows it, delayed answers through response_url included).
 */
export function showEphemeral(m: EphemeralMessage): void {
  if (replies.some((r) => r.id === m.id)) return;
  setReplies([
    ...replies,
    { id: m.id, roomId: m.roomId, parentId: m.parentId, from: m.username, text: m.text, error: false },
  ]);
}

/**
 * Runs `/command text` through the server when the first word names a known
 * command; answers false for anything else, which is then sent as a message.
 */
export function useRunSlash(roomId: string): (input: { text: string; parentId?: string | null }) => boolean {
  const qc = useQueryClient();
  const api = useIntegrationsApi();
  const problem = useProblemText();
  const commands = useSlashCommands();
  return useCallback(
    (input) => {
      const m = /^(\/[a-z0-9][a-z0-9_-]{0,31})(?:\s+([\s\S]*))?$/i.exec(input.text.trim());
      const command = m?.[1]?.toLowerCase();
      if (!command || !commands.some((c) => c.command === command)) return false;
      const parentId = input.parentId ?? null;
      const refused = (e: unknown) =>
        setReplies([
          ...replies,
          { id: crypto.randomUUID(), roomId, parentId, from: command, text: problem(e), error: true },
        ]);
      // An ephemeral answer comes back on the person's live feed too (showEphemeral): shown from there only, once.
      api.run(roomId, { command, text: m?.[2] ?? "", ...(parentId ? { parentId } : {}) }).then((a) => {
        if (a.responseType === "in_channel" && a.message) upsertSentMessage(qc, a.message);
      }, refused);
      return true;
    },
    [api, commands, problem, qc, roomId],
  );
}

/** The command answers meant for this person in this room (or thread), above its composer. */
export function CommandReplies({ roomId, parentId }: { roomId: string; parentId?: string }) {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const all = useSyncExternalStore(subscribe, () => replies);
  const mine = all.filter((r) => r.roomId === roomId && r.parentId === (parentId ?? null));
  if (!mine.length) return null;
  return (
    <Stack gap={4} mb={4}>
      {mine.map((r) => (
        <Paper key={r.id} withBorder p="xs" data-testid="command-reply" role={r.error ? "alert" : "status"}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed">
                {r.from} · {t("integrations.onlyYou")}
              </Text>
              {r.error ? (
                <Text size="sm" c="red.8">
                  {r.text}
                </Text>
              ) : (
                <Markdown text={r.text} meUsername={me.username} />
              )}
            </div>
            <CloseButton
              size="sm"
              aria-label={t("integrations.dismissReply")}
              onClick={() => setReplies(replies.filter((x) => x.id !== r.id))}
            />
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

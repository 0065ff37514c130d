import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Editor } from "@tiptap/core";
import { Alert, Badge, Blockquote, Button, Group, Loader, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { IconMessagePlus } from "@tabler/icons-react";
import { COMMENTS_CHANGED, type DocThread, type ThreadList } from "../shared/comments.ts";
import type { CollabSession } from "./collab-session.ts";
import { selectionAnchors, showThreads } from "./comment-marks.ts";
import { formatDate, useWebHost } from "@ensemble/ui";

type Draft = NonNullable<ReturnType<typeof selectionAnchors>>;

/** One thread: the words it is about, its comments, a reply box, resolve or reopen. */
function Thread({ thread, act }: { thread: DocThread; act: (path: string, body?: unknown) => Promise<void> }) {
  const { t, i18n } = useTranslation("docs");
  const [reply, setReply] = useState("");
  const base = `threads/${thread.id}`;
  const send = (e: FormEvent) => {
    e.preventDefault();
    void act(`${base}/comments`, { text: reply }).then(() => setReply(""));
  };
  const words = thread.covered ?? thread.quote;
  return (
    <Paper withBorder p="sm" component="article" aria-label={t("comments.thread", { words })} data-thread={thread.id}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Blockquote p={4} fz="sm">
            {words}
          </Blockquote>
          {thread.resolved && <Badge color="green">{t("comments.resolvedBadge")}</Badge>}
        </Group>
        {thread.covered === null && <Text size="xs">{t("comments.gone")}</Text>}
        {thread.comments.map((c) => (
          <div key={c.id}>
            <Text size="sm" fw={600}>
              {c.author.displayName}{" "}
              <Text span size="xs" c="dimmed">
                {formatDate(c.createdAt, "short", i18n.language)}
              </Text>
            </Text>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {c.text}
            </Text>
          </div>
        ))}
        {!thread.resolved && thread.actions.reply && (
          <form onSubmit={send}>
            <Stack gap={4}>
              <Textarea
                label={t("comments.reply")}
                value={reply}
                onChange={(e) => setReply(e.currentTarget.value)}
                autosize
                minRows={1}
                maxLength={5000}
              />
              <Group>
                <Button type="submit" size="xs" disabled={reply.trim() === ""}>
                  {t("comments.send")}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {thread.actions.resolve && (
          <Group>
            <Button
              size="xs"
              variant="default"
              onClick={() => void act(`${base}/${thread.resolved ? "reopen" : "resolve"}`)}
            >
              {t(thread.resolved ? "comments.reopen" : "comments.resolve")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The document's comments beside the editor: comment the selected words,
 * answer, resolve, reopen. Ranges are highlighted in the text where they stand
 * now; other people's changes arrive as a message on the co-editing socket.
 */
export function CommentsPanel({ docId, editor, session }: { docId: string; editor: Editor; session: CollabSession }) {
  const { t } = useTranslation("docs");
  const host = useWebHost();
  const [list, setList] = useState<ThreadList | null>(null);
  const [failed, setFailed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [text, setText] = useState("");
  const [hasSelection, setHasSelection] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await host.api<ThreadList>("GET", `/api/docs/${docId}/threads`));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [host, docId]);
  useEffect(() => {
    void load();
    const onStateless = ({ payload }: { payload: string }) => {
      if (payload === COMMENTS_CHANGED) void load();
    };
    session.provider.on("stateless", onStateless);
    return () => void session.provider.off("stateless", onStateless);
  }, [load, session]);
  useEffect(() => {
    // Remote edits rebuild parts of the editor's tree: draw the ranges again after each change of the text.
    const draw = () => queueMicrotask(() => showThreads(editor, list?.items ?? [], null));
    const selection = () => setHasSelection(!editor.state.selection.empty);
    draw();
    editor.on("update", draw);
    editor.on("selectionUpdate", selection);
    return () => {
      editor.off("update", draw);
      editor.off("selectionUpdate", selection);
    };
  }, [editor, list]);

  const act = async (path: string, body: unknown = {}) => {
    setProblem(null);
    try {
      await host.api("POST", `/api/docs/${docId}/${path}`, body);
      await load();
    } catch {
      setProblem(t("problems.generic"));
      throw new Error("comment not sent");
    }
  };
  const publish = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    void act("threads", { anchor: { start: draft.start, end: draft.end }, quote: draft.quote, text })
      .then(() => {
        setDraft(null);
        setText("");
      })
      .catch(() => undefined);
  };
  const open = list?.items.filter((x) => !x.resolved) ?? [];
  const resolved = list?.items.filter((x) => x.resolved) ?? [];
  const safeAct = (path: string, body?: unknown) => act(path, body).catch(() => undefined);
  return (
    <Stack gap="sm" component="aside" aria-labelledby="docs-comments">
      <Group justify="space-between">
        <Title order={2} size="h4" id="docs-comments">
          {t("comments.title")}
        </Title>
        <Button
          size="xs"
          leftSection={<IconMessagePlus size={16} aria-hidden />}
          disabled={!hasSelection}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => setDraft(selectionAnchors(editor))}
        >
          {t("comments.add")}
        </Button>
      </Group>
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      {draft && (
        <form onSubmit={publish}>
          <Stack gap={4}>
            <Blockquote p={4} fz="sm">
              {draft.quote}
            </Blockquote>
            <Textarea
              label={t("comments.new")}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={5000}
              data-autofocus
              autoFocus
            />
            <Group>
              <Button type="submit" size="xs" disabled={text.trim() === ""}>
                {t("comments.publish")}
              </Button>
              <Button size="xs" variant="default" onClick={() => setDraft(null)}>
                {t("history.cancel")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {failed ? (
        <Alert color="red">{t("comments.failed")}</Alert>
      ) : !list ? (
        <Loader aria-label={t("comments.loading")} />
      ) : list.items.length === 0 ? (
        <Text size="sm">{t("comments.empty")}</Text>
      ) : (
        <>
          {open.map((x) => (
            <Thread key={x.id} thread={x} act={safeAct} />
          ))}
          {resolved.length > 0 && (
            <details>
              <summary>{t("comments.resolvedList", { count: resolved.length })}</summary>
              <Stack gap="xs" mt="xs">
                {resolved.map((x) => (
                  <Thread key={x.id} thread={x} act={safeAct} />
                ))}
              </Stack>
            </details>
          )}
        </>
      )}
    </Stack>
  );
}

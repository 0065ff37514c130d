import { useEffect, useState } from "react";
import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useWebHost } from "@ensemble/ui";
import type { BoardView, Card, CardSummary, Comment } from "../shared/schemas.ts";
import { boardsApi } from "./api.ts";
import { CardChecklist } from "./CardChecklist.tsx";
import { fromDateField, toDateField } from "./date-field.ts";
import { useProblemText } from "@ensemble/ui";

interface Props {
  card: CardSummary | null;
  board: BoardView;
  onClose(): void;
  onChanged(card: Card): void;
}

/** A card's details: title, description, due date, done, archive, checklist, comments. */
export function CardDialog({ card, board, onClose, onChanged }: Props) {
  const host = useWebHost();
  const api = boardsApi(host);
  const { t } = useTranslation("boards");
  const problem = useProblemText("boards");
  const canEdit = board.board.actions.includes("create_card");
  const canComment = board.board.actions.includes("comment");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  /** The board holds card summaries: the description comes with the card, and saving waits for it. */
  const [loaded, setLoaded] = useState(false);
  const [due, setDue] = useState("");
  const [done, setDone] = useState(false);
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const cardId = card?.id ?? null;

  useEffect(() => {
    if (!card) return;
    setTitle(card.title);
    setDescription("");
    setLoaded(false);
    setDue(toDateField(card.dueAt));
    setDone(card.done);
    setError(null);
    setSaved(false);
    // Only when another card opens: live updates of this one must not overwrite what is being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cardId]);

  useEffect(() => {
    if (!cardId) return;
    let live = true;
    boardsApi(host)
      .card(cardId)
      .then((full) => {
        if (!live) return;
        setDescription(full.description);
        setLoaded(true);
      })
      .catch((e: unknown) => live && setError(problem(e)));
    return () => {
      live = false;
    };
    // Once per opened card, like the fields above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [host, cardId]);

  useEffect(() => {
    if (!cardId) return;
    let live = true;
    setComments(null);
    boardsApi(host)
      .comments(cardId)
      .then((r) => live && setComments(r.items))
      .catch(() => live && setComments([]));
    return () => {
      live = false;
    };
  }, [host, cardId, card?.commentCount]);

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(problem(e));
    }
  };
  const save = () =>
    run(async () => {
      if (!card) return;
      onChanged(await api.updateCard(card.id, { title, description, dueAt: fromDateField(due), done }));
      setSaved(true);
    });
  const archive = () =>
    run(async () => {
      if (!card) return;
      onChanged(await api.updateCard(card.id, { archived: true }));
      onClose();
    });
  const send = () =>
    run(async () => {
      if (!card || !comment.trim()) return;
      const c = await api.comment(card.id, comment.trim());
      setComments((cs) => [...(cs ?? []), c]);
      setComment("");
    });

  const authorName = (id: string | null) => board.members.find((m) => m.userId === id)?.displayName ?? "—";
  return (
    <Modal
      opened={card !== null}
      onClose={onClose}
      title={t("card.dialog")}
      size="lg"
      closeButtonProps={{ "aria-label": t("card.close") }}
    >
      {card && (
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t("card.title")}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            readOnly={!canEdit}
            maxLength={200}
          />
          <Textarea
            label={t("card.description")}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            readOnly={!canEdit}
            disabled={!loaded}
            autosize
            minRows={3}
          />
          <Group align="end">
            <TextInput
              type="date"
              label={t("card.due")}
              value={due}
              onChange={(e) => setDue(e.currentTarget.value)}
              readOnly={!canEdit}
            />
            <Checkbox
              label={t("card.done")}
              checked={done}
              onChange={(e) => setDone(e.currentTarget.checked)}
              disabled={!canEdit}
            />
          </Group>
          {canEdit && (
            <Group>
              <Button onClick={() => void save()} disabled={!loaded}>
                {t("card.save")}
              </Button>
              <Button variant="default" onClick={() => void archive()}>
                {t("card.archive")}
              </Button>
              {saved && (
                <Text size="sm" role="status">
                  {t("card.saved")}
                </Text>
              )}
            </Group>
          )}
          <CardChecklist card={card} board={board} canEdit={canEdit} onError={setError} />
          <Title order={3} size="h5">
            {t("card.comments")}
          </Title>
          {comments !== null && comments.length === 0 && <Text c="dimmed">{t("card.noComments")}</Text>}
          <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {(comments ?? []).map((c) => (
              <li key={c.id}>
                <Text size="sm" fw={600} span>
                  {authorName(c.authorId)}
                </Text>{" "}
                <Text size="sm" span>
                  {c.text}
                </Text>
              </li>
            ))}
          </Stack>
          {canComment && (
            <Group align="end" wrap="nowrap">
              <Textarea
                style={{ flex: 1 }}
                label={t("card.comment")}
                value={comment}
                onChange={(e) => setComment(e.currentTarget.value)}
                autosize
                minRows={1}
              />
              <Button onClick={() => void send()}>{t("card.send")}</Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}

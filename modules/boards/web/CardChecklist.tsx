import { useEffect, useState, type FormEvent } from "react";
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Progress,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useProblemText, useWebHost } from "@ensemble/ui";
import type { ChecklistItem } from "../shared/checklists.ts";
import type { BoardView, CardSummary } from "../shared/schemas.ts";
import { boardsApi } from "./api.ts";
import { fromDateField, toDateField } from "./date-field.ts";

interface Props {
  card: CardSummary;
  board: BoardView;
  canEdit: boolean;
  onError(message: string | null): void;
}

/**
 * The card's checklist in its dialog: progress, items to tick, assign and
 * date, one to add. Loaded again when the card's progress changes (someone
 * added, ticked or removed an item: the board's live card event says so).
 */
export function CardChecklist({ card, board, canEdit, onError }: Props) {
  const host = useWebHost();
  const api = boardsApi(host);
  const { t } = useTranslation("boards");
  const problem = useProblemText("boards");
  const [items, setItems] = useState<ChecklistItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [text, setText] = useState("");

  useEffect(() => {
    let live = true;
    boardsApi(host)
      .checklist(card.id)
      .then((r) => {
        if (!live) return;
        setItems(r.items);
        setFailed(false);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [host, card.id, card.checklistDone, card.checklistTotal]);

  const run = async (fn: () => Promise<void>) => {
    onError(null);
    try {
      await fn();
    } catch (e) {
      onError(problem(e));
    }
  };
  const replace = (item: ChecklistItem) => setItems((xs) => (xs ?? []).map((x) => (x.id === item.id ? item : x)));
  const update = (item: ChecklistItem, body: Parameters<typeof api.updateItem>[1]) =>
    run(async () => replace(await api.updateItem(item.id, body)));
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    void run(async () => {
      const item = await api.addItem(card.id, { text: text.trim() });
      setItems((xs) => [...(xs ?? []).filter((x) => x.id !== item.id), item]);
      setText("");
    });
  };
  const remove = (item: ChecklistItem) =>
    run(async () => {
      await api.deleteItem(item.id);
      setItems((xs) => (xs ?? []).filter((x) => x.id !== item.id));
    });

  const done = items?.filter((i) => i.done).length ?? card.checklistDone;
  const total = items?.length ?? card.checklistTotal;
  const people = [
    { value: "", label: t("checklist.nobody") },
    ...board.members.map((m) => ({ value: m.userId, label: m.displayName })),
  ];
  return (
    <Stack gap="xs" component="section" aria-labelledby={`checklist-${card.id}`}>
      <Group justify="space-between">
        <Title order={3} size="h5" id={`checklist-${card.id}`}>
          {t("checklist.title")}
        </Title>
        <Text size="sm">{t("checklist.progress", { done, total })}</Text>
      </Group>
      {total > 0 && <Progress value={(100 * done) / total} aria-label={t("checklist.progress", { done, total })} />}
      {failed && (
        <Text c="red" size="sm" role="alert">
          {t("checklist.error")}
        </Text>
      )}
      {items === null && !failed && <Text size="sm">{t("checklist.loading")}</Text>}
      {items?.length === 0 && <Text c="dimmed">{t("checklist.empty")}</Text>}
      <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {(items ?? []).map((item) => (
          <Group component="li" key={item.id} gap="xs" wrap="wrap" data-item={item.text}>
            <Checkbox
              style={{ flex: 1, minWidth: 160 }}
              label={item.text}
              checked={item.done}
              disabled={!canEdit}
              onChange={(e) => void update(item, { done: e.currentTarget.checked })}
            />
            <NativeSelect
              size="xs"
              aria-label={t("checklist.assignee", { text: item.text })}
              data={people}
              value={item.assigneeId ?? ""}
              disabled={!canEdit}
              onChange={(e) => void update(item, { assigneeId: e.currentTarget.value || null })}
            />
            <TextInput
              size="xs"
              type="date"
              aria-label={t("checklist.due", { text: item.text })}
              value={toDateField(item.dueAt)}
              readOnly={!canEdit}
              onChange={(e) => void update(item, { dueAt: fromDateField(e.currentTarget.value) })}
            />
            {canEdit && (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("checklist.delete", { text: item.text })}
                onClick={() => void remove(item)}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            )}
          </Group>
        ))}
      </Stack>
      {canEdit && (
        <form onSubmit={add}>
          <Group align="end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              size="xs"
              label={t("checklist.add")}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              maxLength={500}
            />
            <Button size="xs" type="submit">
              {t("checklist.addButton")}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}

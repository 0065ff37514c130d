import { useState, type FormEvent } from "react";
import {
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { IconGripVertical } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useDroppable } from "@dnd-kit/core";
import { SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { cellCards, cellTotal } from "../shared/board-state.ts";
import type { BoardView, CardSummary, List, Swimlane } from "../shared/schemas.ts";

interface Props {
  view: BoardView;
  list: List;
  lane: Swimlane;
  canEdit: boolean;
  onOpen(cardId: string): void;
  /** Loads the cell's next cards; rejects when they could not be loaded. */
  onMore(): Promise<void>;
  /** Resolves true when the card was created (the field then empties). */
  onAdd(title: string): Promise<boolean>;
}

/** One list within one swimlane: its header with the WIP count, its sortable cards, quick-add at the bottom. */
export function ListCell({ view, list, lane, canEdit, onOpen, onMore, onAdd }: Props) {
  const { t } = useTranslation("boards");
  const cards = cellCards(view, list.id, lane.id);
  // The board opens with the first cards of each cell: counts come from the server's totals.
  const inList = view.cells.filter((c) => c.listId === list.id).reduce((n, c) => n + c.total, 0);
  const left = cellTotal(view, list.id, lane.id) - cards.length;
  const over = list.wipLimit !== null && inList > list.wipLimit;
  const { setNodeRef, isOver } = useDroppable({
    id: `cell:${list.id}:${lane.id}`,
    data: { type: "cell", listId: list.id, swimlaneId: lane.id },
  });
  return (
    <Paper
      withBorder
      p="xs"
      w={272}
      miw={240}
      bg={isOver ? "var(--mantine-color-blue-light)" : undefined}
      data-list={list.title}
      aria-labelledby={`list-${list.id}-${lane.id}`}
      component="section"
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={3} size="h5" id={`list-${list.id}-${lane.id}`}>
          {list.title}
        </Title>
        <Group gap={4} wrap="nowrap">
          {list.wipLimit !== null ? (
            <Badge
              color={over ? "red" : "gray"}
              variant="light"
              title={list.wipMode === "hard" ? t("board.wipHard") : undefined}
            >
              {t("board.wip", { count: inList, limit: list.wipLimit })}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed">
              {t("board.cards", { count: inList })}
            </Text>
          )}
        </Group>
      </Group>
      <SortableContext items={cards.map((c) => c.id)} strategy={verticalListSortingStrategy}>
        <Stack ref={setNodeRef} gap={6} mih={32} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {cards.map((c) => (
            <CardItem key={c.id} card={c} canEdit={canEdit} onOpen={onOpen} />
          ))}
          {cards.length === 0 && (
            <Text component="li" size="sm" c="dimmed">
              {t("board.emptyList")}
            </Text>
          )}
        </Stack>
      </SortableContext>
      {left > 0 && <MoreCards left={left} onMore={onMore} />}
      {canEdit && <QuickAdd onAdd={onAdd} listTitle={list.title} />}
    </Paper>
  );
}

function CardItem({ card, canEdit, onOpen }: { card: CardSummary; canEdit: boolean; onOpen(id: string): void }) {
  const { t, i18n } = useTranslation("boards");
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    data: { type: "card", listId: card.listId, swimlaneId: card.swimlaneId },
    disabled: !canEdit,
  });
  return (
    <Paper
      component="li"
      ref={setNodeRef}
      withBorder
      shadow={isDragging ? "md" : "xs"}
      p={6}
      data-card={card.title}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }}
    >
      <Group gap={4} wrap="nowrap" align="flex-start">
        {canEdit && (
          <UnstyledButton
            {...attributes}
            {...listeners}
            aria-label={t("dnd.handle", { title: card.title })}
            aria-describedby={attributes["aria-describedby"]}
            style={{ cursor: "grab", touchAction: "none" }}
            data-drag-handle
          >
            <IconGripVertical size={16} aria-hidden />
          </UnstyledButton>
        )}
        <div style={{ flex: 1 }}>
          {/* The button's name is the card's title as shown: no label that would differ from it. */}
          <UnstyledButton
            onClick={() => onOpen(card.id)}
            style={{ display: "block", width: "100%", textAlign: "start" }}
          >
            <Text size="sm" td={card.done ? "line-through" : undefined}>
              {card.title}
            </Text>
          </UnstyledButton>
          <Group gap={4} mt={2}>
            {card.done && (
              <Badge size="xs" color="green" variant="light">
                {t("card.doneBadge")}
              </Badge>
            )}
            {card.dueAt && (
              <Badge size="xs" variant="light">
                {t("card.dueBadge", { date: new Date(card.dueAt).toLocaleDateString(i18n.language) })}
              </Badge>
            )}
            {card.checklistTotal > 0 && (
              <Badge size="xs" variant="light" color={card.checklistDone === card.checklistTotal ? "green" : "gray"}>
                <VisuallyHidden>
                  {t("card.checklistBadge", { done: card.checklistDone, total: card.checklistTotal })}
                </VisuallyHidden>
                <span aria-hidden>
                  {card.checklistDone}/{card.checklistTotal}
                </span>
              </Badge>
            )}
            {card.commentCount > 0 && (
              <Text size="xs" c="dimmed">
                {t("card.commentCount", { count: card.commentCount })}
              </Text>
            )}
          </Group>
        </div>
      </Group>
    </Paper>
  );
}

/** The cell's next page on demand: opening a board costs what the screen shows, not the board's size. */
function MoreCards({ left, onMore }: { left: number; onMore(): Promise<void> }) {
  const { t } = useTranslation("boards");
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const more = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await onMore();
    } catch {
      setFailed(true);
    }
    setBusy(false);
  };
  return (
    <Stack gap={4} mt="xs">
      <Button size="xs" variant="subtle" loading={busy} onClick={() => void more()}>
        {t("board.more", { count: left })}
      </Button>
      {failed && (
        <Text size="xs" c="red" role="alert">
          {t("board.moreError")}
        </Text>
      )}
    </Stack>
  );
}

function QuickAdd({ onAdd, listTitle }: { onAdd(title: string): Promise<boolean>; listTitle: string }) {
  const { t } = useTranslation("boards");
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    setBusy(true);
    if (await onAdd(title.trim())) setTitle("");
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Group gap={4} mt="xs" wrap="nowrap">
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          placeholder={t("board.cardTitle")}
          aria-label={`${t("board.addCard")} — ${listTitle}`}
          maxLength={200}
        />
        <Button size="xs" type="submit" loading={busy}>
          {t("board.add")}
        </Button>
      </Group>
    </form>
  );
}

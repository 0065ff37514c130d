import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, Anchor, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  closestCorners,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { useWebHost } from "@ensemble/ui";
import { cellCards } from "../shared/board-state.ts";
import type { BoardView, CardSummary } from "../shared/schemas.ts";
import { boardsApi } from "./api.ts";
import { CardDialog } from "./CardDialog.tsx";
import { ListCell } from "./ListCell.tsx";
import { useProblemText } from "@ensemble/ui";
import { useBoard } from "./useBoard.ts";

/** Where a dropped card goes: its cell and the neighbour it was dropped against. */
export function dropTarget(
  view: BoardView,
  card: CardSummary,
  over: { id: string; data: { type: "card" | "cell"; listId: string; swimlaneId: string } },
): { listId: string; swimlaneId: string; afterId?: string; beforeId?: string | null } | null {
  const { listId, swimlaneId } = over.data;
  const sameCell = listId === card.listId && swimlaneId === card.swimlaneId;
  if (over.data.type === "cell") return sameCell ? null : { listId, swimlaneId, beforeId: null };
  if (over.id === card.id) return null;
  if (!sameCell) return { listId, swimlaneId, beforeId: over.id };
  const ids = cellCards(view, listId, swimlaneId).map((c) => c.id);
  // Moving down lands after the card it was dropped on; moving up, before it.
  return ids.indexOf(card.id) < ids.indexOf(over.id)
    ? { listId, swimlaneId, afterId: over.id }
    : { listId, swimlaneId, beforeId: over.id };
}

/** One board: swimlanes × lists, cards dragged with the pointer or the keyboard, live for every viewer. */
export function BoardPage() {
  const { boardId = "" } = useParams();
  const host = useWebHost();
  const api = boardsApi(host);
  const { t } = useTranslation("boards");
  const problem = useProblemText("boards");
  const { state, apply, loadMore } = useBoard(host, boardId);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [openCard, setOpenCard] = useState<string | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const view = state.status === "ready" ? state.view : null;

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of view?.cards ?? []) m.set(c.id, c.title);
    for (const l of view?.lists ?? []) for (const s of view?.swimlanes ?? []) m.set(`cell:${l.id}:${s.id}`, l.title);
    return m;
  }, [view]);
  const name = (id: string | number | undefined) => (id === undefined ? "" : (names.get(String(id)) ?? ""));
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("dnd.picked", { title: name(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? t("dnd.over", { title: name(active.id), target: name(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t("dnd.dropped", { title: name(active.id), target: name(over.id) }) : undefined,
    onDragCancel: ({ active }) => t("dnd.cancelled", { title: name(active.id) }),
  };

  if (state.status === "loading")
    return (
      <Group p="md">
        <Loader size="sm" />
        <Text>{t("board.loading")}</Text>
      </Group>
    );
  if (state.status !== "ready")
    return (
      <Stack p="md">
        <Alert color="red" role="alert">
          {t("board.error")}
        </Alert>
        <Anchor component={Link} to="/boards">
          {t("board.back")}
        </Anchor>
      </Stack>
    );
  const v = state.view;
  const canEdit = v.board.actions.includes("create_card");

  const onDragEnd = async ({ active, over }: DragEndEvent) => {
    const card = v.cards.find((c) => c.id === active.id);
    const data = over?.data.current as { type: "card" | "cell"; listId: string; swimlaneId: string } | undefined;
    if (!card || !over || !data) return;
    const target = dropTarget(v, card, { id: String(over.id), data });
    if (!target) return;
    setError(null);
    try {
      const r = await api.moveCard(card.id, target);
      apply({ name: "boards.card.moved", payload: { card: r.card, cells: r.cells } });
      const list = v.lists.find((l) => l.id === r.card.listId)?.title ?? "";
      setNotice(t("dnd.moved", { title: card.title, list }));
      if (r.wipExceeded) setError(t("board.wipExceeded", { list }));
    } catch (e) {
      setError(problem(e));
    }
  };

  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{v.board.title}</Title>
        <Anchor component={Link} to="/boards">
          {t("board.back")}
        </Anchor>
      </Group>
      {!canEdit && <Text c="dimmed">{t("board.readOnly")}</Text>}
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <div role="status" aria-live="polite" className="visually-hidden" style={{ position: "absolute", left: -10000 }}>
        {notice}
      </div>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCorners}
        onDragEnd={(e) => void onDragEnd(e)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t("dnd.instructions") } }}
      >
        {v.swimlanes.map((lane) => (
          <section key={lane.id} aria-label={lane.title || t("board.lane")}>
            {v.swimlanes.length > 1 && (
              <Title order={2} size="h4" mb="xs">
                {lane.title || t("board.lane")}
              </Title>
            )}
            <div style={{ display: "flex", gap: 12, overflowX: "auto", alignItems: "flex-start", paddingBottom: 8 }}>
              {v.lists.map((list) => (
                <ListCell
                  key={list.id}
                  view={v}
                  list={list}
                  lane={lane}
                  canEdit={canEdit}
                  onOpen={setOpenCard}
                  onMore={() => loadMore(v, list.id, lane.id)}
                  onAdd={async (title) => {
                    setError(null);
                    try {
                      const r = await api.addCard(v.board.id, { listId: list.id, swimlaneId: lane.id, title });
                      apply({ name: "boards.card.created", payload: { card: r.card, cells: r.cells } });
                      if (r.wipExceeded) setError(t("board.wipExceeded", { list: list.title }));
                      return true;
                    } catch (e) {
                      setError(problem(e));
                      return false;
                    }
                  }}
                />
              ))}
            </div>
          </section>
        ))}
      </DndContext>
      <CardDialog
        card={v.cards.find((c) => c.id === openCard) ?? null}
        board={v}
        onClose={() => setOpenCard(null)}
        onChanged={(card) => apply({ name: "boards.card.updated", payload: { card } })}
      />
    </Stack>
  );
}

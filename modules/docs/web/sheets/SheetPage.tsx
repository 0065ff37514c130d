import { useEffect, useMemo, useState } from "react";
import { useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useWebHost } from "@ensemble/ui";
import { SHEET_EXTENSION, isSheetName } from "../../shared/sheets/sheet-file.ts";
import { useCoeditedFile } from "../collab-file.ts";
import { colourOf, useCollabSession, useCollabState } from "../collab-session.ts";
import { Grid, type Cell } from "./Grid.tsx";
import { FormulaBar } from "./FormulaBar.tsx";
import { SheetTabs } from "./SheetTabs.tsx";
import { useSelections, useWorkbook } from "./useWorkbook.ts";
import "./sheets.css";

const SHEET_KIND = { extension: SHEET_EXTENSION, matches: isSheetName };

/** A spreadsheet: its name, save state, formula bar, the grid of the current sheet, and the sheets' tabs. */
export function SheetPage() {
  const { t } = useTranslation("docs");
  const host = useWebHost();
  const id = useParams().id ?? "";
  const { name, problem } = useCoeditedFile(id, SHEET_KIND, {
    wrongKind: t("sheets.notASheet"),
    notFound: t("sheets.notFound"),
  });
  const file = name === null ? null : { name };
  const session = useCollabSession(id);
  const collab = useCollabState(session);
  const state = useWorkbook(session, collab.readOnly);
  const me = useMemo(
    () => ({ id: host.me.id, name: host.me.displayName, color: colourOf(host.me.id) }),
    [host.me.id, host.me.displayName],
  );
  const { others, publish } = useSelections(session, me);
  const [chosen, setChosen] = useState<string | null>(null);
  const [active, setActive] = useState<Cell>({ row: 0, col: 0 });

  const ids = state?.ready ? state.wb.sheetIds() : [];
  const sheetId = chosen !== null && ids.includes(chosen) ? chosen : (ids[0] ?? null);
  useEffect(() => {
    if (sheetId !== null) publish(sheetId, active.row, active.col);
  }, [publish, sheetId, active.row, active.col]);
  const focusGrid = () => document.querySelector<HTMLElement>('[data-testid="sheet-grid"]')?.focus();

  if (problem || collab.denied)
    return (
      <Stack>
        <Title order={1}>{t("page.title")}</Title>
        <Alert color="red" role="alert">
          {problem ?? t("sheets.notFound")}
        </Alert>
      </Stack>
    );
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{file?.name ?? t("sheets.loading")}</Title>
        <Group gap="sm">
          {collab.readOnly && <Badge color="gray">{t("editor.readOnly")}</Badge>}
          <Text size="sm" c="dimmed" role="status" data-testid="sheets-save-state" data-state={collab.save}>
            {t(`editor.save.${collab.save}`)}
          </Text>
        </Group>
      </Group>
      {!state || !state.ready || !file ? (
        <Loader aria-label={t("sheets.loading")} />
      ) : sheetId === null ? (
        <Text>{t("sheets.empty")}</Text>
      ) : (
        <>
          <FormulaBar wb={state.wb} sheetId={sheetId} active={active} readOnly={collab.readOnly} onDone={focusGrid} />
          <Grid
            state={state}
            sheetId={sheetId}
            sheetName={state.wb.name(sheetId)}
            readOnly={collab.readOnly}
            active={active}
            onActive={setActive}
            others={others}
          />
          <Group justify="space-between" wrap="wrap">
            <SheetTabs
              wb={state.wb}
              current={sheetId}
              readOnly={collab.readOnly}
              onSelect={(s) => {
                setChosen(s);
                setActive({ row: 0, col: 0 });
              }}
            />
            {!collab.readOnly && (
              <Button
                size="xs"
                variant="default"
                onClick={() => state.wb.insertRows(sheetId, state.wb.rows(sheetId).length, 100)}
              >
                {t("sheets.addRows")}
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Group, Text, TextInput } from "@mantine/core";
import { cellName } from "../../shared/sheets/refs.ts";
import type { Workbook } from "../../shared/sheets/workbook.ts";
import type { Cell } from "./Grid.tsx";

/**
 * The active cell's name and what it holds (a formula as typed, with today's
 * positions of its references); Enter writes, Escape gives back the cell's text.
 */
export function FormulaBar(props: {
  wb: Workbook;
  sheetId: string;
  active: Cell;
  readOnly: boolean;
  onDone: () => void;
}) {
  const { wb, sheetId, active, readOnly, onDone } = props;
  const { t } = useTranslation("docs");
  const [draft, setDraft] = useState<string | null>(null);
  const stored = wb.inputAt(sheetId, active.row, active.col);
  // Another cell, or someone else's change to this one: the bar shows the cell again.
  useEffect(() => setDraft(null), [sheetId, active.row, active.col, stored]);
  const name = cellName(active.row, active.col);
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Text
        component="output"
        aria-label={t("sheets.cellName")}
        className="sheet-name-box"
        data-testid="sheet-cell-name"
      >
        {name}
      </Text>
      <TextInput
        style={{ flex: 1 }}
        aria-label={t("sheets.formulaBar", { cell: name })}
        leftSection={<span aria-hidden>fx</span>}
        value={draft ?? stored}
        readOnly={readOnly}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && draft !== null) {
            e.preventDefault();
            wb.setInput(sheetId, active.row, active.col, draft);
            setDraft(null);
            onDone();
          } else if (e.key === "Escape") {
            e.preventDefault();
            setDraft(null);
            onDone();
          }
        }}
      />
    </Group>
  );
}

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { IconPencil, IconPlus } from "@tabler/icons-react";
import type { Workbook } from "../../shared/sheets/workbook.ts";

/** The workbook's sheets as toggle buttons, with « add » and « rename » (names are unique, case aside). */
export function SheetTabs(props: {
  wb: Workbook;
  current: string;
  readOnly: boolean;
  onSelect: (sheetId: string) => void;
}) {
  const { wb, current, readOnly, onSelect } = props;
  const { t } = useTranslation("docs");
  const [renaming, setRenaming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = wb.sheetIds();
  const taken = (name: string, except?: string) =>
    ids.some((s) => s !== except && wb.name(s).toLowerCase() === name.toLowerCase());
  const add = () => {
    let n = ids.length + 1;
    while (taken(t("sheets.sheetDefault", { n }))) n++;
    onSelect(wb.addSheet(t("sheets.sheetDefault", { n })));
  };
  const rename = () => {
    const name = renaming?.trim() ?? "";
    if (name === "") return setProblem(t("sheets.nameEmpty"));
    if (taken(name, current)) return setProblem(t("sheets.nameTaken"));
    wb.renameSheet(current, name);
    setRenaming(null);
  };
  return (
    <Group gap={4} role="group" aria-label={t("sheets.tabs")} wrap="wrap">
      {ids.map((s) => (
        <Button
          key={s}
          size="xs"
          variant={s === current ? "filled" : "default"}
          aria-pressed={s === current}
          onClick={() => onSelect(s)}
        >
          {wb.name(s)}
        </Button>
      ))}
      {!readOnly && (
        <>
          <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} aria-hidden />} onClick={add}>
            {t("sheets.addSheet")}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={() => {
              setProblem(null);
              setRenaming(wb.name(current));
            }}
          >
            {t("sheets.renameSheet")}
          </Button>
        </>
      )}
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title={t("sheets.renameSheet")}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rename();
          }}
        >
          <Stack>
            <TextInput
              label={t("sheets.sheetName")}
              value={renaming ?? ""}
              error={problem}
              onChange={(e) => setRenaming(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRenaming(null)}>
                {t("sheets.cancel")}
              </Button>
              <Button type="submit">{t("sheets.apply")}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}

import { useState } from "react";
import { Link, Route, Routes, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { Alert, Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconFilePlus, IconTablePlus } from "@tabler/icons-react";
import { useWebHost } from "@ensemble/ui";
import { createDocument, spreadsheet } from "./new-document.ts";
import { DocumentPage } from "./DocumentPage.tsx";

/** « Documents »: where a new co-edited document starts (it is kept in the person's files). */
function DocsHome() {
  const { t } = useTranslation("docs");
  const host = useWebHost();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<"doc" | "sheet" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const create = async (what: "doc" | "sheet") => {
    setBusy(what);
    setProblem(null);
    try {
      const doc =
        what === "doc"
          ? await createDocument(host, t("page.untitled"))
          : await createDocument(host, t("page.untitledSheet"), undefined, spreadsheet);
      await navigate(what === "doc" ? `/docs/${doc.id}` : `/sheets/${doc.id}`);
    } catch (e) {
      const code = (e as { code?: string }).code ?? "generic";
      setProblem(t(`problems.${code}`, { defaultValue: t("problems.generic") }));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Stack>
      <Title order={1}>{t("page.title")}</Title>
      <Text>{t("page.intro")}</Text>
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      <Group>
        <Button
          leftSection={<IconFilePlus size={18} aria-hidden />}
          loading={busy === "doc"}
          disabled={busy === "sheet"}
          onClick={() => void create("doc")}
        >
          {t("page.new")}
        </Button>
        <Button
          variant="light"
          leftSection={<IconTablePlus size={18} aria-hidden />}
          loading={busy === "sheet"}
          disabled={busy === "doc"}
          onClick={() => void create("sheet")}
        >
          {t("page.newSheet")}
        </Button>
        <Anchor component={Link} to="/files">
          {t("page.openFiles")}
        </Anchor>
      </Group>
    </Stack>
  );
}

export default function DocsPages() {
  return (
    <Routes>
      <Route index element={<DocsHome />} />
      <Route path=":id" element={<DocumentPage />} />
    </Routes>
  );
}

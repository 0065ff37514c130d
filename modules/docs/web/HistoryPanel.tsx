import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Drawer, Group, Loader, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import type { DocumentVersion, VersionContent, VersionDiff, VersionList } from "../shared/history.ts";
import { VersionDiffView, VersionText } from "./VersionView.tsx";
import { formatDate, useWebHost } from "@ensemble/ui";

type Mode = "view" | "compare";

/** A version's label in the list: its name, or why it was kept. */
function useVersionLabel() {
  const { t, i18n } = useTranslation("docs");
  return (v: DocumentVersion) => {
    const what = v.kind === "named" ? (v.name ?? "") : t(v.kind === "auto" ? "history.auto" : "history.beforeRestore");
    const when = formatDate(v.createdAt, "seconds", i18n.language);
    return { what, when, who: v.author ? t("history.by", { name: v.author.displayName }) : null };
  };
}

/**
 * The document's history in a side panel: name the current text, pick a
 * version, see it as it was or compared with now, restore it (writers only;
 * the restore reaches every open editor as a new change).
 */
export function HistoryPanel({ docId, opened, onClose }: { docId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("docs");
  const host = useWebHost();
  const label = useVersionLabel();
  const [list, setList] = useState<VersionList | null>(null);
  const [failed, setFailed] = useState(false);
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [selected, setSelected] = useState<DocumentVersion | null>(null);
  const [mode, setMode] = useState<Mode>("view");
  const [content, setContent] = useState<VersionContent | VersionDiff | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    setFailed(false);
    try {
      setList(await host.api<VersionList>("GET", `/api/docs/${docId}/versions`));
    } catch {
      setFailed(true);
    }
  }, [host, docId]);
  useEffect(() => {
    if (opened) void reload();
  }, [opened, reload]);
  useEffect(() => {
    if (!selected) return;
    let live = true;
    setContent(null);
    const path = `/api/docs/${docId}/versions/${selected.id}${mode === "compare" ? "/compare" : ""}`;
    host
      .api<VersionContent | VersionDiff>("GET", path)
      .then((c) => live && setContent(c))
      .catch(() => live && setProblem(t("history.failed")));
    return () => {
      live = false;
    };
  }, [host, docId, selected, mode, t]);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      await fn();
    } catch {
      setProblem(t("problems.generic"));
    } finally {
      setBusy(false);
    }
  };
  const saveNamed = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const v = await host.api<DocumentVersion>("POST", `/api/docs/${docId}/versions`, { name });
      setName("");
      setNotice(t("history.named", { name: v.name ?? "" }));
      await reload();
    });
  };
  const restore = (v: DocumentVersion) =>
    void act(async () => {
      await host.api("POST", `/api/docs/${docId}/versions/${v.id}/restore`, {});
      setConfirming(false);
      setSelected(null);
      setNotice(t("history.restored"));
      await reload();
    });

  const chosen = selected ? label(selected) : null;
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={t("history.title")}
      closeButtonProps={{ "aria-label": t("history.close") }}
    >
      <Stack>
        {notice && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {list?.allowed.name && (
          <form onSubmit={saveNamed}>
            <Group align="end">
              <TextInput
                label={t("history.name")}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                maxLength={200}
                required
              />
              <Button type="submit" loading={busy} disabled={name.trim() === ""}>
                {t("history.nameSave")}
              </Button>
            </Group>
          </form>
        )}
        <Title order={2} size="h4" id="docs-versions">
          {t("history.list")}
        </Title>
        {failed ? (
          <Alert color="red">{t("history.failed")}</Alert>
        ) : !list ? (
          <Loader aria-label={t("history.loading")} />
        ) : list.items.length === 0 ? (
          <Text>{t("history.empty")}</Text>
        ) : (
          <Stack component="ul" gap={4} aria-labelledby="docs-versions" style={{ listStyle: "none", padding: 0 }}>
            {list.items.map((v) => {
              const l = label(v);
              return (
                <li key={v.id}>
                  <Button
                    variant={selected?.id === v.id ? "light" : "subtle"}
                    aria-pressed={selected?.id === v.id}
                    fullWidth
                    justify="space-between"
                    onClick={() => {
                      setSelected(v);
                      setConfirming(false);
                    }}
                    rightSection={<Text size="xs">{l.when}</Text>}
                  >
                    {l.what}
                    {l.who ? ` — ${l.who}` : ""}
                  </Button>
                </li>
              );
            })}
          </Stack>
        )}
        {selected && chosen && (
          <Stack gap="sm">
            <Title order={2} size="h4">
              {chosen.what} — {chosen.when}
            </Title>
            <SegmentedControl
              aria-label={t("history.mode")}
              value={mode}
              onChange={(m) => setMode(m as Mode)}
              data={[
                { value: "view", label: t("history.view") },
                { value: "compare", label: t("history.compare") },
              ]}
            />
            {!content ? (
              <Loader aria-label={t("history.loading")} />
            ) : "lines" in content ? (
              <VersionDiffView lines={content.lines} />
            ) : (
              <VersionText state={content.state} label={t("history.versionLabel", { name: chosen.what })} />
            )}
            {list?.allowed.restore &&
              (confirming ? (
                <Alert color="yellow" title={t("history.restore")}>
                  <Text mb="sm">{t("history.restoreConfirm")}</Text>
                  <Group>
                    <Button color="yellow" loading={busy} onClick={() => restore(selected)}>
                      {t("history.restoreYes")}
                    </Button>
                    <Button variant="default" onClick={() => setConfirming(false)}>
                      {t("history.cancel")}
                    </Button>
                  </Group>
                </Alert>
              ) : (
                <Button variant="outline" onClick={() => setConfirming(true)}>
                  {t("history.restore")}
                </Button>
              ))}
          </Stack>
        )}
      </Stack>
    </Drawer>
  );
}

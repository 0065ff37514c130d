import { useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  ActionIcon,
  Alert,
  Button,
  Divider,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { IconTrash, IconUsers } from "@tabler/icons-react";
import { PeoplePicker, useProblemText, useWebHost, type Picked } from "@ensemble/ui";
import { shareLevels, type ShareLevel } from "../shared/share-levels.ts";
import type { FileNode, FileShare } from "../shared/wire.ts";
import { ShareLinks } from "./ShareLinks.tsx";
import { Saying, type Said } from "./Saying.tsx";
import { shareApi, shareKeys } from "./share-api.ts";
import "./sharing-texts.ts";

/**
 * « Partager »: people and groups (search, level, current shares to change or revoke) and public links.
 * Mantine's modal traps the focus while open and gives it back to the button that opened it.
 */
export function ShareDialog({ node, onClose }: { node: FileNode | null; onClose: () => void }) {
  const { t } = useTranslation("files");
  return (
    <Modal
      opened={node !== null}
      onClose={onClose}
      title={node ? t("share.title", { name: node.name }) : ""}
      size="lg"
      closeButtonProps={{ "aria-label": t("share.close") }}
      data-testid="share-dialog"
    >
      {node && (
        <Stack gap="lg">
          <SharePeople node={node} />
          <Divider />
          <ShareLinks node={node} />
        </Stack>
      )}
    </Modal>
  );
}

function SharePeople({ node }: { node: FileNode }) {
  const { t } = useTranslation("files");
  const host = useWebHost();
  const api = useMemo(() => shareApi(host), [host]);
  const problem = useProblemText("files");
  const queries = useQueryClient();
  const [picked, setPicked] = useState<Picked[]>([]);
  const [level, setLevel] = useState<ShareLevel>("read");
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const shares = useQuery({ queryKey: shareKeys.shares(node.id), queryFn: () => api.shares(node.id) });
  const current = shares.data?.shares ?? [];
  const levelOptions = shareLevels.map((l) => ({ value: l, label: t(`share.levels.${l}`) }));

  const run = async (f: () => Promise<string>) => {
    setBusy(true);
    setSaid(null);
    try {
      setSaid({ ok: true, text: await f() });
    } catch (e) {
      setSaid({ ok: false, text: problem(e) });
    } finally {
      setBusy(false);
      await queries.invalidateQueries({ queryKey: ["files"] });
    }
  };
  const submit = () =>
    run(async () => {
      const names: string[] = [];
      for (const p of picked) {
        await api.share(node.id, { kind: p.kind, id: p.id }, level);
        names.push(p.label);
      }
      setPicked([]);
      return t("share.people.added", { name: names.join(", ") });
    });
  const change = (s: FileShare, to: ShareLevel) =>
    run(async () => {
      await api.setLevel(s.id, to);
      return t("share.people.changed", { name: s.recipient.name, level: t(`share.levels.${to}`) });
    });
  const revoke = (s: FileShare) =>
    run(async () => {
      await api.revokeShare(s.id);
      // The button is gone with its share: the focus goes to the section, not to the page's start.
      title.current?.focus();
      return t("share.people.revoked", { name: s.recipient.name });
    });

  return (
    <Stack gap="sm" component="section" aria-labelledby="share-people-title">
      <Title order={2} size="h4" id="share-people-title" ref={title} tabIndex={-1}>
        {t("share.people.title")}
      </Title>
      <PeoplePicker
        label={t("share.people.pick")}
        kinds={["user", "group"]}
        value={picked}
        onChange={setPicked}
        nothingFound={t("share.people.nobody")}
        exclude={[host.me.id, ...current.map((s) => s.recipient.id)]}
        autoFocus
        testId="share-people"
      />
      <Group align="end" gap="sm">
        <NativeSelect
          label={t("share.people.level")}
          data={levelOptions}
          value={level}
          onChange={(e) => setLevel(e.currentTarget.value as ShareLevel)}
        />
        <Button onClick={() => void submit()} disabled={picked.length === 0} loading={busy}>
          {t("share.people.submit")}
        </Button>
      </Group>
      <Saying said={said} />
      <Text size="sm" fw={600} id="share-current-title">
        {t("share.people.current")}
      </Text>
      {shares.isLoading ? (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t("share.people.loading")}</Text>
        </Group>
      ) : shares.isError ? (
        <Alert color="red">{t("share.people.failed")}</Alert>
      ) : current.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("share.people.none")}
        </Text>
      ) : (
        <Stack component="ul" gap="xs" aria-labelledby="share-current-title" data-testid="share-current" p={0} m={0}>
          {current.map((s) => (
            <Group component="li" key={s.id} justify="space-between" wrap="nowrap" style={{ listStyle: "none" }}>
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                {s.recipient.kind === "group" && <IconUsers size={16} aria-hidden />}
                <Text size="sm" truncate>
                  {s.recipient.name}
                  {s.recipient.kind === "group" && ` (${t("share.people.group")})`}
                </Text>
              </Group>
              <Group gap={4} wrap="nowrap">
                <NativeSelect
                  size="xs"
                  aria-label={t("share.people.levelOf", { name: s.recipient.name })}
                  data={levelOptions}
                  value={s.permission}
                  disabled={!s.actions.includes("update") || busy}
                  onChange={(e) => void change(s, e.currentTarget.value as ShareLevel)}
                />
                {s.actions.includes("revoke") && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t("share.people.revoke", { name: s.recipient.name })}
                    onClick={() => void revoke(s)}
                    disabled={busy}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                )}
              </Group>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

import { useMemo, useRef, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Loader,
  PasswordInput,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconLink, IconTrash } from "@tabler/icons-react";
import { ShownOnceSecret, useProblemText, useWebHost } from "@ensemble/ui";
import type { CreatedLink, FileLink, FileNode } from "../shared/wire.ts";
import { Saying, type Said } from "./Saying.tsx";
import { shareApi, shareKeys } from "./share-api.ts";

/** A date picked in the form (`YYYY-MM-DD`) as the end of that day where the person is. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59`).toISOString();
const today = () => new Date().toLocaleDateString("en-CA");

/** How a link is described in lists and in its revoke button's name. */
export function useLinkSummary(): (l: FileLink) => string {
  const { t, i18n } = useTranslation("files");
  return (l) =>
    [
      t(l.kind === "read" ? "share.links.summaryRead" : "share.links.summaryUpload"),
      l.hasPassword ? t("share.links.withPassword") : null,
      l.expiresAt ? t("share.links.until", { date: new Date(l.expiresAt).toLocaleDateString(i18n.language) }) : null,
      l.kind === "read" ? t("share.links.downloads", { count: l.downloads }) : null,
    ]
      .filter(Boolean)
      .join(" · ");
}

/** Public links of a node: the ones made (revocable), and a form for a new one whose address is shown once. */
export function ShareLinks({ node }: { node: FileNode }) {
  const { t } = useTranslation("files");
  const host = useWebHost();
  const api = useMemo(() => shareApi(host), [host]);
  const problem = useProblemText("files");
  const queries = useQueryClient();
  const summary = useLinkSummary();
  const [kind, setKind] = useState<"read" | "upload">("read");
  const [password, setPassword] = useState("");
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<CreatedLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const links = useQuery({ queryKey: shareKeys.links(node.id), queryFn: () => api.links(node.id) });

  const run = async (f: () => Promise<string | null>) => {
    setBusy(true);
    setSaid(null);
    try {
      const text = await f();
      if (text) setSaid({ ok: true, text });
    } catch (e) {
      setSaid({ ok: false, text: problem(e) });
    } finally {
      setBusy(false);
      await queries.invalidateQueries({ queryKey: ["files"] });
    }
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const l = await api.createLink(node.id, {
        kind: node.kind === "folder" ? kind : "read",
        password: password === "" ? null : password,
        expiresAt: expires === "" ? null : endOfDay(expires),
      });
      setCreated(l);
      setPassword("");
      setExpires("");
      return null;
    });
  };
  const revoke = (l: FileLink) =>
    run(async () => {
      await api.revokeLink(l.id);
      // The button is gone with its link: the focus goes to the section, not to the page's start.
      title.current?.focus();
      return t("share.links.revoked");
    });

  return (
    <Stack gap="sm" component="section" aria-labelledby="share-links-title">
      <Title order={2} size="h4" id="share-links-title" ref={title} tabIndex={-1}>
        {t("share.links.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("share.links.intro")}
      </Text>
      {links.isLoading ? (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t("share.links.loading")}</Text>
        </Group>
      ) : links.isError ? (
        <Alert color="red">{t("share.links.failed")}</Alert>
      ) : (links.data?.links.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          {t("share.links.none")}
        </Text>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0} aria-labelledby="share-links-title" data-testid="share-links">
          {links.data!.links.map((l) => (
            <Group component="li" key={l.id} justify="space-between" wrap="nowrap" style={{ listStyle: "none" }}>
              <Group gap={6} wrap="nowrap">
                <IconLink size={16} aria-hidden />
                <Text size="sm">{summary(l)}</Text>
              </Group>
              {l.actions.includes("revoke") && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t("share.links.revoke", { what: summary(l) })}
                  onClick={() => void revoke(l)}
                  disabled={busy}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {created && (
        <ShownOnceSecret
          intro={t("share.links.created")}
          value={`${window.location.origin}${created.path}`}
          hint={created.hasPassword ? t("share.links.hint") : undefined}
          copyLabel={t("share.links.copy")}
          copiedLabel={t("share.links.copied")}
          onClose={() => setCreated(null)}
          closeLabel={t("share.links.keep")}
          testId="share-link-created"
          valueTestId="share-link-url"
        />
      )}
      <form onSubmit={create}>
        <Stack gap="sm">
          {node.kind === "folder" && (
            <Radio.Group
              label={t("share.links.kind")}
              value={kind}
              onChange={(v) => setKind(v === "upload" ? "upload" : "read")}
            >
              <Group gap="md" mt={4}>
                <Radio value="read" label={t("share.links.read")} />
                <Radio value="upload" label={t("share.links.upload")} />
              </Group>
            </Radio.Group>
          )}
          <PasswordInput
            label={t("share.links.password")}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ "aria-label": t("share.links.showPassword"), tabIndex: 0 }}
            minLength={8}
            maxLength={200}
          />
          <TextInput
            type="date"
            label={t("share.links.expires")}
            value={expires}
            min={today()}
            onChange={(e) => setExpires(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy} leftSection={<IconLink size={16} aria-hidden />}>
              {t("share.links.create")}
            </Button>
          </Group>
        </Stack>
      </form>
      <Saying said={said} />
    </Stack>
  );
}

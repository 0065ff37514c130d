import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Anchor, Button, Container, Group, Loader, PasswordInput, Stack, Table, Text, Title } from "@mantine/core";
import { IconDownload, IconFile, IconFolder, IconLock } from "@tabler/icons-react";
import { ApiProblem, usePageTitle, useProblemText } from "@ensemble/ui";
import type { PublicLink } from "../shared/wire.ts";
import { bytes } from "./format.ts";
import { publicLinkApi } from "./public-api.ts";
import { PublicDropBox } from "./PublicDropBox.tsx";
import "./sharing-texts.ts";

type State =
  | { kind: "loading" }
  | { kind: "locked" }
  | { kind: "open"; link: PublicLink }
  | { kind: "gone" | "expired" | "failed" };

const codeOf = (e: unknown) => (e instanceof ApiProblem ? e.code : "internal");

/**
 * A public link's page (`/s/<token>`), for people without an account: the file with its download, a
 * folder's entries, or a « dépôt » to drop files into; a password form first when the link has one.
 * Outside the signed-in layout, so it is a whole page with its own landmark.
 */
export default function PublicLinkPage() {
  const { t } = useTranslation("files");
  const token = useParams().token ?? "";
  const [state, setState] = useState<State>({ kind: "loading" });
  const [access, setAccess] = useState<string | null>(null);
  usePageTitle(state.kind === "open" ? state.link.node.name : undefined);

  const load = useCallback(
    async (proof: string | null) => {
      try {
        setState({ kind: "open", link: await publicLinkApi.open(token, proof) });
      } catch (e) {
        const code = codeOf(e);
        setState({
          kind:
            code === "files_link_password_required"
              ? "locked"
              : code === "files_link_expired"
                ? "expired"
                : code === "not_found"
                  ? "gone"
                  : "failed",
        });
      }
    },
    [token],
  );
  useEffect(() => void load(null), [load]);

  return (
    <Container component="main" size="sm" py="xl">
      <Stack gap="lg">
        <Text fw={700} c="dimmed">
          {t("public.brand")}
        </Text>
        {state.kind === "loading" && (
          <Group gap="xs" role="status">
            <Loader size="sm" aria-hidden />
            <Text>{t("public.loading")}</Text>
          </Group>
        )}
        {(state.kind === "gone" || state.kind === "expired" || state.kind === "failed") && <Ended kind={state.kind} />}
        {state.kind === "locked" && (
          <Unlock
            token={token}
            onOpen={(proof) => {
              setAccess(proof);
              void load(proof);
            }}
            onExpired={() => setState({ kind: "expired" })}
          />
        )}
        {state.kind === "open" && <Opened token={token} access={access} link={state.link} />}
      </Stack>
    </Container>
  );
}

function Ended({ kind }: { kind: "gone" | "expired" | "failed" }) {
  const { t } = useTranslation("files");
  return (
    <Stack gap="xs">
      <Title order={1}>
        {t(kind === "expired" ? "public.expired" : kind === "gone" ? "public.gone" : "public.failed")}
      </Title>
      {kind !== "failed" && <Text>{t(kind === "expired" ? "public.expiredHint" : "public.goneHint")}</Text>}
    </Stack>
  );
}

function Unlock({
  token,
  onOpen,
  onExpired,
}: {
  token: string;
  onOpen: (proof: string) => void;
  onExpired: () => void;
}) {
  const { t } = useTranslation("files");
  const problem = useProblemText("files");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onOpen((await publicLinkApi.unlock(token, password)).access);
    } catch (err) {
      const code = codeOf(err);
      if (code === "files_link_expired") return onExpired();
      setError(
        code === "files_link_password_wrong"
          ? t("public.wrongPassword")
          : code === "rate_limited"
            ? t("public.tooMany")
            : problem(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="md">
        <Group gap="xs" wrap="nowrap">
          <IconLock size={24} aria-hidden />
          <Title order={1}>{t("public.passwordTitle")}</Title>
        </Group>
        <PasswordInput
          label={t("public.password")}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          // The message below, in a darker red than Mantine's error colour (contrast), said as soon as it shows.
          aria-invalid={error !== null}
          aria-describedby={error ? "link-password-error" : undefined}
          required
          autoFocus
          autoComplete="off"
          visibilityToggleButtonProps={{ "aria-label": t("public.showPassword"), tabIndex: 0 }}
        />
        {error && (
          <Text id="link-password-error" role="alert" c="red.9" size="sm">
            {error}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t("public.unlock")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What the link opens, as the page's heading: a file or a folder, and its name. */
function EntryHeading({ kind, name }: { kind: "file" | "folder"; name: string }) {
  const { t } = useTranslation("files");
  const Icon = kind === "file" ? IconFile : IconFolder;
  return (
    <>
      <Text size="sm" c="dimmed">
        {t(kind === "file" ? "public.file" : "public.folder")}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Icon size={28} aria-hidden />
        <Title order={1} style={{ wordBreak: "break-word" }}>
          {name}
        </Title>
      </Group>
    </>
  );
}

function Opened({ token, access, link }: { token: string; access: string | null; link: PublicLink }) {
  const { t, i18n } = useTranslation("files");
  const expiry = link.expiresAt && (
    <Text size="sm" c="dimmed">
      {t("public.expiresOn", { date: new Date(link.expiresAt).toLocaleDateString(i18n.language) })}
    </Text>
  );
  if (link.kind === "upload")
    return (
      <>
        <PublicDropBox token={token} access={access} folderName={link.node.name} />
        {expiry}
      </>
    );
  if (link.node.kind === "file")
    return (
      <Stack gap="md">
        <EntryHeading kind="file" name={link.node.name} />
        <Text>{t("public.size", { size: bytes(link.node.size) })}</Text>
        <Group>
          <Button
            component="a"
            href={publicLinkApi.contentUrl(token, access)}
            download={link.node.name}
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            {t("public.download")}
          </Button>
        </Group>
        {expiry}
      </Stack>
    );
  return (
    <Stack gap="md">
      <EntryHeading kind="folder" name={link.node.name} />
      {link.children.length === 0 ? (
        <Text c="dimmed">{t("public.empty")}</Text>
      ) : (
        <Table striped data-testid="public-entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("public.name")}</Table.Th>
              <Table.Th>{t("public.sizeColumn")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("public.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {link.children.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td style={{ wordBreak: "break-word" }}>
                  <Group gap={6} wrap="nowrap">
                    {c.kind === "folder" ? (
                      <IconFolder size={16} aria-label={t("public.folderEntry")} />
                    ) : (
                      <IconFile size={16} aria-hidden />
                    )}
                    {c.name}
                  </Group>
                </Table.Td>
                <Table.Td>{c.kind === "file" ? bytes(c.size) : "—"}</Table.Td>
                <Table.Td>
                  {c.kind === "file" && (
                    <Anchor
                      href={publicLinkApi.contentUrl(token, access, c.id)}
                      download={c.name}
                      aria-label={t("public.downloadName", { name: c.name })}
                    >
                      <IconDownload size={18} aria-hidden />
                    </Anchor>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {expiry}
    </Stack>
  );
}

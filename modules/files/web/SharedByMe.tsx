import { useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { ActionIcon, Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { IconFile, IconFolder, IconTrash, IconUsers } from "@tabler/icons-react";
import { DataTable, formatDate, usePageTitle, useProblemText, useWebHost } from "@ensemble/ui";
import type { SharedByMe as Listing } from "../shared/wire.ts";
import { Saying, type Said } from "./Saying.tsx";
import { useLinkSummary } from "./ShareLinks.tsx";
import { shareApi, shareKeys } from "./share-api.ts";
import "./sharing-texts.ts";

type Shared = Listing["shares"][number]["node"];

/** A shared node's name: a folder opens in the folder page, a file in the folder that holds it. */
function NodeName({ node }: { node: Shared }) {
  const Icon = node.kind === "folder" ? IconFolder : IconFile;
  const inner = (
    <Group gap={6} wrap="nowrap">
      <Icon size={16} aria-hidden />
      {node.name}
    </Group>
  );
  return node.kind === "folder" ? (
    <Anchor component={Link} to={`/files/${node.id}`}>
      {inner}
    </Anchor>
  ) : (
    <Text size="sm">{inner}</Text>
  );
}

/** « Partagés par moi »: the shares and public links I made, each revocable from here. */
export function SharedByMe() {
  const { t, i18n } = useTranslation("files");
  const host = useWebHost();
  const api = useMemo(() => shareApi(host), [host]);
  const problem = useProblemText("files");
  const queries = useQueryClient();
  const summary = useLinkSummary();
  const [said, setSaid] = useState<Said>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle(t("byMe.title"));
  const listing = useQuery({ queryKey: shareKeys.byMe, queryFn: api.sharedByMe });

  const revoke = async (f: () => Promise<void>) => {
    setSaid(null);
    try {
      await f();
      setSaid({ ok: true, text: t("byMe.revoked") });
      // Its row (and the button) is gone: the focus goes back to the page's heading.
      heading.current?.focus();
    } catch (e) {
      setSaid({ ok: false, text: problem(e) });
    } finally {
      await queries.invalidateQueries({ queryKey: ["files"] });
    }
  };
  const failed = listing.isError ? <Alert color="red">{t("page.failed")}</Alert> : undefined;

  return (
    <Stack p="md" gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} ref={heading} tabIndex={-1}>
          {t("byMe.title")}
        </Title>
        <Group gap="md">
          <Anchor component={Link} to="/files/shared">
            {t("shared.title")}
          </Anchor>
          <Anchor component={Link} to="/files">
            {t("shared.back")}
          </Anchor>
        </Group>
      </Group>
      <Saying said={said} />
      <Stack component="section" gap="xs" aria-labelledby="by-me-shares">
        <Title order={2} size="h3" id="by-me-shares">
          {t("byMe.shares")}
        </Title>
        <DataTable<Listing["shares"][number]>
          data-testid="files-by-me-shares"
          rows={listing.data?.shares}
          loading={listing.isLoading}
          loadingLabel={t("page.loading")}
          error={failed}
          empty={t("byMe.noShares")}
          rowKey={(s) => s.id}
          actionsLabel={t("page.actions")}
          columns={[
            { key: "name", header: t("page.name"), cell: (s) => <NodeName node={s.node} /> },
            {
              key: "with",
              header: t("byMe.with"),
              cell: (s) => (
                <Group gap={6} wrap="nowrap">
                  {s.recipient.kind === "group" && <IconUsers size={16} aria-hidden />}
                  <Text size="sm">{s.recipient.name}</Text>
                </Group>
              ),
            },
            {
              key: "level",
              header: t("shared.permission"),
              cell: (s) => <Text size="sm">{t(`share.levels.${s.permission}`)}</Text>,
            },
            {
              key: "when",
              header: t("shared.when"),
              cell: (s) => <Text size="sm">{formatDate(s.createdAt, "date", i18n.language)}</Text>,
            },
          ]}
          actions={(s) =>
            s.actions.includes("revoke") && (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("byMe.revokeShare", { name: s.node.name, who: s.recipient.name })}
                onClick={() => void revoke(() => api.revokeShare(s.id))}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            )
          }
        />
      </Stack>
      <Stack component="section" gap="xs" aria-labelledby="by-me-links">
        <Title order={2} size="h3" id="by-me-links">
          {t("byMe.links")}
        </Title>
        <DataTable<Listing["links"][number]>
          data-testid="files-by-me-links"
          rows={listing.data?.links}
          loading={listing.isLoading}
          loadingLabel={t("page.loading")}
          error={failed}
          empty={t("byMe.noLinks")}
          rowKey={(l) => l.id}
          actionsLabel={t("page.actions")}
          columns={[
            { key: "name", header: t("page.name"), cell: (l) => <NodeName node={l.node} /> },
            { key: "details", header: t("byMe.details"), cell: (l) => <Text size="sm">{summary(l)}</Text> },
            {
              key: "when",
              header: t("shared.when"),
              cell: (l) => <Text size="sm">{formatDate(l.createdAt, "date", i18n.language)}</Text>,
            },
          ]}
          actions={(l) =>
            l.actions.includes("revoke") && (
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("byMe.revokeLink", { name: l.node.name })}
                onClick={() => void revoke(() => api.revokeLink(l.id))}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            )
          }
        />
      </Stack>
    </Stack>
  );
}

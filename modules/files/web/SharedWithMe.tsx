import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { IconFile, IconFolder } from "@tabler/icons-react";
import { DataTable, formatDate, usePageTitle, useWebHost } from "@ensemble/ui";
import type { IncomingShare } from "../shared/wire.ts";

/** « Partagé avec moi »: what people and groups shared with me, the way in to each. */
export function SharedWithMe() {
  const { t, i18n } = useTranslation("files");
  const host = useWebHost();
  usePageTitle(t("shared.title"));
  const shares = useQuery({
    queryKey: ["files", "shared-with-me"],
    queryFn: () => host.api<{ shares: IncomingShare[] }>("GET", "/api/files/shared-with-me"),
  });
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{t("shared.title")}</Title>
        <Anchor component={Link} to="/files">
          {t("shared.back")}
        </Anchor>
      </Group>
      <DataTable<IncomingShare>
        data-testid="files-shared-list"
        rows={shares.data?.shares}
        loading={shares.isLoading}
        loadingLabel={t("page.loading")}
        error={shares.isError ? <Alert color="red">{t("page.failed")}</Alert> : undefined}
        empty={t("shared.empty")}
        rowKey={(s) => s.id}
        columns={[
          {
            key: "name",
            header: t("page.name"),
            cell: (s) =>
              s.node.kind === "folder" ? (
                <Anchor component={Link} to={`/files/${s.node.id}`}>
                  <Group gap={6} wrap="nowrap">
                    <IconFolder size={16} aria-hidden />
                    {s.node.name}
                  </Group>
                </Anchor>
              ) : (
                <Anchor href={`/api/files/nodes/${s.node.id}/content`} download={s.node.name}>
                  <Group gap={6} wrap="nowrap">
                    <IconFile size={16} aria-hidden />
                    {s.node.name}
                  </Group>
                </Anchor>
              ),
          },
          { key: "by", header: t("shared.by"), cell: (s) => <Text size="sm">{s.sharedBy?.name ?? "—"}</Text> },
          {
            key: "permission",
            header: t("shared.permission"),
            cell: (s) => <Text size="sm">{t(`shared.levels.${s.permission}`)}</Text>,
          },
          {
            key: "when",
            header: t("shared.when"),
            cell: (s) => <Text size="sm">{formatDate(s.sharedAt, "dateTime", i18n.language)}</Text>,
          },
        ]}
      />
    </Stack>
  );
}

import { Anchor, Avatar, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { PresenceBadge } from "../components/PresenceBadge.tsx";
import type { ProfileCard } from "@ensemble/protocol/wire/accounts";
import { formatDate, usePageTitle } from "@ensemble/ui";

/** A colleague's profile card, with their live presence and local time. */
export default function PeoplePage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const card = useQuery({
    queryKey: ["person", id],
    queryFn: () => get<ProfileCard>(`/api/users/${id}`),
    enabled: !!id,
  });
  usePageTitle(card.data?.displayName);
  if (card.error) return <ProblemAlert error={card.error} />;
  const p = card.data;
  if (!p) return null;
  // Their local time is in their own zone, not the reader's.
  const localTime = formatDate(new Date(), "time", i18n.language, p.timeZone);
  return (
    <Stack maw={640}>
      <Title order={1} className="visually-hidden">
        {t("people.title")}
      </Title>
      <Card withBorder padding="xl">
        <Group align="flex-start" wrap="nowrap">
          <Avatar src={p.avatarUrl} size={96} radius="xl" alt="" />
          <Stack gap={6}>
            <Group gap="sm">
              <Title order={2} data-page-heading>
                {p.displayName}
              </Title>
              <PresenceBadge userId={p.id} />
            </Group>
            <Text c="dimmed">@{p.username}</Text>
            {p.statusMessage && <Text>{p.statusMessage}</Text>}
            {p.email && (
              <Text>
                {t("people.email")} : <Anchor href={`mailto:${p.email}`}>{p.email}</Anchor>
              </Text>
            )}
            {localTime && <Text size="sm">{t("people.localTime", { time: `${localTime} (${p.timeZone})` })}</Text>}
          </Stack>
        </Group>
      </Card>
    </Stack>
  );
}

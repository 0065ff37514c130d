import { Card, SimpleGrid, Stack, Text, ThemeIcon, Title, Group, Anchor } from "@mantine/core";
import { IconAt, IconCalendarEvent, IconFolderShare, IconLayoutKanban } from "@tabler/icons-react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/session.ts";
import { formatLongDate } from "../lib/format.ts";
import { HomeMentions } from "./HomeMentions.tsx";

const SECTIONS = [
  { key: "mentions", service: "chat", icon: IconAt },
  { key: "sharedWithMe", service: "files", icon: IconFolderShare },
  { key: "cardsDue", service: "boards", icon: IconLayoutKanban },
  { key: "nextMeetings", service: "meetings", icon: IconCalendarEvent },
] as const;

/**
 * "Accueil": what needs me today. Each service fills its card as its module
 * lands; until then the card says so plainly.
 */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("home.greeting", { name: me?.displayName ?? "" })}</Title>
        <Text c="dimmed">{t("home.today", { date: formatLongDate(new Date(), i18n.language, me?.timeZone) })}</Text>
      </div>
      <Title order={2} fz="h3">
        {t("home.needsMe")}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {SECTIONS.map(({ key, service, icon: Icon }) => (
          <Card key={key} withBorder padding="lg" component="section" aria-labelledby={`home-${key}`}>
            <Group gap="sm" mb="xs">
              <ThemeIcon variant="light" aria-hidden="true">
                <Icon size={18} />
              </ThemeIcon>
              <Title order={3} fz="h4" id={`home-${key}`}>
                {t(`home.${key}`)}
              </Title>
            </Group>
            {service === "chat" ? (
              <HomeMentions />
            ) : (
              <Text c="dimmed" size="sm">
                {t("home.nothingYet")}
              </Text>
            )}
            <Anchor component={Link} to={`/${service}`} size="sm" mt="xs">
              {t(`nav.${service}`)}
            </Anchor>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

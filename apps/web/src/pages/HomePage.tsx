import { Suspense } from "react";
import { Anchor, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/session.ts";
import { useDates } from "@ensemble/ui";
import { lazyPart, manifests } from "../modules/manifests.ts";

const CARDS = manifests.flatMap((m) => (m.homeCards ?? []).map((card) => ({ ns: m.name, ...card })));

/** "Accueil": what needs me today, one card per card that an installed service's manifest declares. */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const dates = useDates();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("home.greeting", { name: me?.displayName ?? "" })}</Title>
        <Text c="dimmed">{t("home.today", { date: dates.format(new Date(), "long") })}</Text>
      </div>
      <Title order={2} fz="h3">
        {t("home.needsMe")}
      </Title>
      {CARDS.length === 0 && <Text c="dimmed">{t("home.nothingNeedsMe")}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {CARDS.map(({ ns, id, title, icon: Icon, link, load }) => {
          const Body = lazyPart(load);
          const headingId = `home-${ns}-${id}`;
          return (
            <Card key={headingId} withBorder padding="lg" component="section" aria-labelledby={headingId}>
              <Group gap="sm" mb="xs">
                <ThemeIcon variant="light" aria-hidden="true">
                  <Icon size={18} />
                </ThemeIcon>
                <Title order={3} fz="h4" id={headingId}>
                  {t(title, { ns })}
                </Title>
              </Group>
              <Suspense fallback={null}>
                <Body />
              </Suspense>
              {link && (
                <Anchor component={Link} to={link.path} size="sm" mt="xs">
                  {t(link.label, { ns })}
                </Anchor>
              )}
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

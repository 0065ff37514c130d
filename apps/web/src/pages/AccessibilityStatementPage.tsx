import type { ReactNode } from "react";
import { Anchor, Container, Group, List, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useBranding } from "../api/session.ts";
import { BrandMark } from "../components/BrandMark.tsx";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";

/** The statement's known non-compliances, in the order of the audit grid (docs/ACCESSIBILITY.md). */
export const KNOWN_GAPS = ["services", "meeting", "mentions", "zoom"] as const;

const RIGHTS_FORM = "https://formulaire.defenseurdesdroits.fr/";
const RIGHTS_DELEGATES = "https://www.defenseurdesdroits.fr/carte-des-delegues";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs" component="section">
      <Title order={2} fz="h3">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/**
 * « Déclaration d'accessibilité » in the RGAA's format (issue 16): compliance status, test results,
 * non-accessible content, how the statement was established, contact and remedies. Public, like the
 * sign-in page that links to it; the organisation's name comes from the branding.
 */
export function AccessibilityStatementPage() {
  const { t } = useTranslation();
  const org = useBranding().data?.name ?? "Ensemble";
  const s = (key: string) => t(`statement.${key}`, { org, url: window.location.origin });
  return (
    <Container component="main" size="md" py="xl">
      <Stack gap="lg">
        <Group justify="space-between">
          <Group gap="sm">
            <BrandMark />
            <Text fw={700} fz="xl">
              {org}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
        <Title order={1}>{s("title")}</Title>
        <Text>{s("intro")}</Text>
        <Text>{s("scope")}</Text>
        <Section title={s("statusTitle")}>
          <Text>{s("status")}</Text>
        </Section>
        <Section title={s("resultsTitle")}>
          <Text>{s("results")}</Text>
        </Section>
        <Section title={s("gapsTitle")}>
          <Title order={3} fz="h4">
            {s("nonCompliantTitle")}
          </Title>
          <List data-testid="statement-gaps">
            {KNOWN_GAPS.map((g) => (
              <List.Item key={g}>{s(`gaps.${g}`)}</List.Item>
            ))}
          </List>
          <Title order={3} fz="h4">
            {s("exemptTitle")}
          </Title>
          <Text>{s("exempt")}</Text>
        </Section>
        <Section title={s("establishedTitle")}>
          <Text>{s("established")}</Text>
          <Text>{s("technologies")}</Text>
          <Text>{s("tools")}</Text>
        </Section>
        <Section title={s("contactTitle")}>
          <Text>{s("contact")}</Text>
        </Section>
        <Section title={s("remediesTitle")}>
          <Text>{s("remedies")}</Text>
          <List>
            <List.Item>
              <Anchor href={RIGHTS_FORM}>{s("remedyForm")}</Anchor>
            </List.Item>
            <List.Item>
              <Anchor href={RIGHTS_DELEGATES}>{s("remedyDelegate")}</Anchor>
            </List.Item>
            <List.Item>{s("remedyMail")}</List.Item>
          </List>
        </Section>
        <Anchor component={Link} to="/">
          {s("back")}
        </Anchor>
      </Stack>
    </Container>
  );
}

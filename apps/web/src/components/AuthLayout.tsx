import type { ReactNode } from "react";
import { Anchor, Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useBranding } from "../api/session.ts";
import { OfflineBanner } from "./OfflineBanner.tsx";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { BrandMark } from "./BrandMark.tsx";

/** The frame of every page shown before sign-in: brand, one card, language choice. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  const brand = useBranding().data;
  const { t } = useTranslation();
  return (
    <>
      <OfflineBanner />
      <Center component="main" mih="100vh" p="md" className="auth-backdrop">
        <Stack w="100%" maw={420} gap="lg">
          <Group gap="sm" justify="center">
            <BrandMark />
            <Text fw={700} fz="xl">
              {brand?.name ?? "Ensemble"}
            </Text>
          </Group>
          <Paper withBorder shadow="sm" p="xl" radius="lg">
            <Stack gap="md">
              <Title order={1} fz="h2">
                {title}
              </Title>
              {intro && <Text c="dimmed">{intro}</Text>}
              {children}
            </Stack>
          </Paper>
          <Group justify="center">
            <LanguageSwitch />
          </Group>
          <Group justify="center">
            <Anchor component={Link} to="/accessibility" size="sm">
              {t("statement.footer")}
            </Anchor>
          </Group>
        </Stack>
      </Center>
    </>
  );
}

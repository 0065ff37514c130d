import { Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconHourglassHigh } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

/** The honest state of a service whose module has not landed yet. */
export function ComingSoon({ service }: { service: "chat" | "files" | "boards" | "meetings" }) {
  const { t } = useTranslation();
  return (
    <Stack align="center" ta="center" py="xl" gap="md" maw={560} mx="auto">
      <ThemeIcon size={64} radius="xl" variant="light" aria-hidden="true">
        <IconHourglassHigh size={36} />
      </ThemeIcon>
      <Title order={1}>{t(`services.${service}.title`)}</Title>
      <Text>{t(`services.${service}.description`)}</Text>
      <Text fw={600}>{t("app.comingSoon")}</Text>
      <Text c="dimmed">{t("services.comingSoonText")}</Text>
    </Stack>
  );
}

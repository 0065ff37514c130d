import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack align="center" py="xl" ta="center">
      <Title order={1}>{t("app.notFoundTitle")}</Title>
      <Text>{t("app.notFoundText")}</Text>
      <Button component={Link} to="/">
        {t("app.backHome")}
      </Button>
    </Stack>
  );
}

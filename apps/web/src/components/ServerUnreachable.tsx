import { Button, Center, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { OfflineBanner } from "./OfflineBanner.tsx";

/** Who is signed in cannot be known without the server: say so and offer to try again. */
export function ServerUnreachable({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <OfflineBanner />
      <Center component="main" py="xl">
        <Stack align="center" ta="center" maw={480}>
          <Title order={1}>{t("app.errorTitle")}</Title>
          <Text>{t("problems.network")}</Text>
          <Button onClick={onRetry}>{t("app.retry")}</Button>
        </Stack>
      </Center>
    </>
  );
}

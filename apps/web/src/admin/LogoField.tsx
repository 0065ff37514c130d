import { useState } from "react";
import { Button, FileButton, Group, Image, Stack, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api/client.ts";
import { useBranding } from "../api/session.ts";
import type { Branding } from "../api/types.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";

/** The organisation's logo: shown in the header, the sign-in page, the favicon and the installed app's icon. */
export function LogoField() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const logo = useBranding().data?.logoUrl ?? null;
  const [error, setError] = useState<unknown>(null);
  const send = async (file: File | null, method: "PUT" | "DELETE") => {
    setError(null);
    try {
      const r = await api<Branding | undefined>(
        method,
        "/api/admin/branding/logo",
        method === "PUT" ? (file ?? undefined) : undefined,
      );
      if (r) qc.setQueryData(["branding"], r);
      else await qc.invalidateQueries({ queryKey: ["branding"] });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Stack gap={6}>
      <Text fw={500} size="sm">
        {t("admin.logo")}
      </Text>
      <Group>
        {logo && <Image src={logo} w={64} h={64} fit="contain" alt={t("admin.logoAlt")} />}
        <FileButton onChange={(f) => void send(f, "PUT")} accept="image/png,image/jpeg,image/webp">
          {(props) => (
            <Button variant="light" size="xs" {...props}>
              {t("admin.logoChange")}
            </Button>
          )}
        </FileButton>
        {logo && (
          <Button variant="subtle" color="red" size="xs" onClick={() => void send(null, "DELETE")}>
            {t("admin.logoRemove")}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t("admin.logoHint")}
      </Text>
      <ProblemAlert error={error} />
    </Stack>
  );
}

import { useState, type FormEvent } from "react";
import { Button, Group, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { post } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";

export function PasswordTab() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({
    mutationFn: () => post("/api/me/password", { current, new: next }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      notifications.show({ message: t("settings.passwordChanged"), color: "green" });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={520}>
        <ProblemAlert error={change.error} />
        <PasswordField
          label={t("settings.currentPassword")}
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          autoComplete="current-password"
          required
        />
        <PasswordField
          label={t("auth.newPassword")}
          description={t("auth.passwordHint")}
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          autoComplete="new-password"
          required
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t("settings.changePassword")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { useState, type FormEvent } from "react";
import { Avatar, Button, FileButton, Group, Stack, Text, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { api } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import type { Me } from "../api/types.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { useSaveProfile } from "./useSaveProfile.ts";

export function ProfileTab() {
  const me = useMe().data;
  if (!me) return null;
  return <ProfileForm me={me} />;
}

function ProfileForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const save = useSaveProfile();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [statusMessage, setStatusMessage] = useState(me.statusMessage ?? "");
  const [email, setEmail] = useState(me.email ?? "");
  const [currentPassword, setCurrentPassword] = useState("");
  const [avatarError, setAvatarError] = useState<unknown>(null);
  const emailChanged = email !== (me.email ?? "");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { displayName, statusMessage };
    if (emailChanged) Object.assign(body, { email, currentPassword });
    save.mutate(body, { onSuccess: () => setCurrentPassword("") });
  };
  const avatar = async (file: File | null, method: "PUT" | "DELETE") => {
    setAvatarError(null);
    try {
      const r = await api<{ user: Me } | undefined>(
        method,
        "/api/me/avatar",
        method === "PUT" ? (file ?? undefined) : undefined,
      );
      if (r?.user) qc.setQueryData(["me"], r.user);
      else await qc.invalidateQueries({ queryKey: ["me"] });
    } catch (err) {
      setAvatarError(err);
    }
  };

  return (
    <Stack maw={520}>
      <Group>
        <Avatar src={me.avatarUrl ?? null} size={72} radius="xl" alt={t("settings.avatar")} />
        <Stack gap={4}>
          <Group gap="xs">
            <FileButton onChange={(f) => void avatar(f, "PUT")} accept="image/png,image/jpeg,image/webp">
              {(props) => (
                <Button variant="light" size="xs" {...props}>
                  {t("settings.avatarChange")}
                </Button>
              )}
            </FileButton>
            {me.avatarUrl && (
              <Button variant="subtle" color="red" size="xs" onClick={() => void avatar(null, "DELETE")}>
                {t("settings.avatarRemove")}
              </Button>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {t("settings.avatarHint")}
          </Text>
        </Stack>
      </Group>
      <ProblemAlert error={avatarError} />
      <form onSubmit={submit} noValidate>
        <Stack>
          <ProblemAlert error={save.error} />
          <TextInput label={t("auth.username")} value={me.username} readOnly disabled />
          <TextInput
            label={t("auth.displayName")}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
          />
          <TextInput
            label={t("settings.statusMessage")}
            value={statusMessage}
            onChange={(e) => setStatusMessage(e.currentTarget.value)}
            maxLength={140}
          />
          <TextInput
            label={t("auth.email")}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          {emailChanged && me.hasPassword && (
            <PasswordField
              label={t("settings.currentPasswordForEmail")}
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.currentTarget.value)}
              autoComplete="current-password"
            />
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("app.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

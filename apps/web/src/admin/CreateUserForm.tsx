import { useState, type FormEvent } from "react";
import { Button, Group, Modal, NativeSelect, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ShownOnceSecret } from "@ensemble/ui";
import { post } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";

type Role = "member" | "guest" | "admin";
interface Created {
  user: { id: string; username: string };
  password: string;
}

/**
 * Administration › Users › Create: what `ensemble user add` does, from the
 * console. The generated password is shown once, to be passed on; inviting
 * by e-mail (the person chooses their own) is in the Invitations tab.
 */
export function CreateUserForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const create = useMutation({
    mutationFn: () =>
      post<Created>("/api/admin/users", {
        username: username.trim().toLowerCase(),
        role,
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["admin-users"] }),
  });
  const close = () => {
    setOpened(false);
    setUsername("");
    setDisplayName("");
    setEmail("");
    setRole("member");
    create.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <>
      <Group>
        <Button onClick={() => setOpened(true)}>{t("admin.createUser")}</Button>
      </Group>
      <Modal
        opened={opened}
        onClose={close}
        title={t("admin.createUser")}
        closeButtonProps={{ "aria-label": t("app.close") }}
      >
        {create.data ? (
          <ShownOnceSecret
            title={t("admin.createdUser", { username: create.data.user.username })}
            intro={t("admin.generatedPassword")}
            value={create.data.password}
            copyLabel={t("app.copy")}
            copiedLabel={t("app.copied")}
            onClose={close}
            closeLabel={t("app.close")}
            valueTestId="created-user-password"
          />
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack>
              <ProblemAlert error={create.error} />
              <TextInput
                label={t("auth.username")}
                description={t("auth.usernameHint")}
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                required
                data-autofocus
                autoComplete="off"
              />
              <TextInput
                label={t("auth.displayName")}
                value={displayName}
                onChange={(e) => setDisplayName(e.currentTarget.value)}
              />
              <TextInput
                label={t("auth.email")}
                type="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <NativeSelect
                label={t("admin.role")}
                value={role}
                onChange={(e) => setRole(e.currentTarget.value as Role)}
                data={(["member", "guest", "admin"] as const).map((r) => ({ value: r, label: t(`admin.roles.${r}`) }))}
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t("app.cancel")}
                </Button>
                <Button type="submit" loading={create.isPending}>
                  {t("admin.create")}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}

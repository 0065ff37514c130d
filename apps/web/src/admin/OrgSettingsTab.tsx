import { useEffect, useState, type FormEvent } from "react";
import { Button, ColorInput, Group, NativeSelect, Stack, Switch, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, patch } from "../api/client.ts";
import { LANGUAGES } from "../i18n/i18n.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { LogoField } from "./LogoField.tsx";
import type { AdminSettings } from "@ensemble/protocol/wire/accounts";

type OrgSettings = AdminSettings;

/** Organisation settings and branding; a saved colour re-themes the app at once. */
export function OrgSettingsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const current = useQuery({ queryKey: ["admin-settings"], queryFn: () => get<OrgSettings>("/api/admin/settings") });
  const [form, setForm] = useState<OrgSettings | null>(null);
  useEffect(() => {
    if (current.data) setForm(current.data);
  }, [current.data]);
  const save = useMutation({
    mutationFn: (s: OrgSettings) => patch<OrgSettings>("/api/admin/settings", s),
    onSuccess: (s) => {
      qc.setQueryData(["admin-settings"], s);
      void qc.invalidateQueries({ queryKey: ["branding"] });
      notifications.show({ message: t("app.saved"), color: "green" });
    },
  });
  if (!form) return <ProblemAlert error={current.error} />;
  const set = <K extends keyof OrgSettings>(k: K, v: OrgSettings[K]) => setForm({ ...form, [k]: v });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={520}>
        <ProblemAlert error={save.error} />
        <TextInput
          label={t("admin.brandName")}
          value={form.brandName}
          onChange={(e) => set("brandName", e.currentTarget.value)}
          required
          maxLength={80}
        />
        <LogoField />
        <ColorInput
          label={t("admin.brandColor")}
          value={form.brandColor}
          onChange={(v) => set("brandColor", v)}
          format="hex"
          withEyeDropper={false}
        />
        <NativeSelect
          label={t("admin.defaultLocale")}
          value={form.defaultLocale}
          onChange={(e) => set("defaultLocale", e.currentTarget.value as "fr" | "en")}
          data={LANGUAGES.map((l) => ({ value: l, label: t(`app.languages.${l}`) }))}
        />
        <Switch
          label={t("admin.membersCanInvite")}
          checked={form.membersCanInvite}
          onChange={(e) => set("membersCanInvite", e.currentTarget.checked)}
        />
        <Switch
          label={t("admin.membersCanCreateGroups")}
          checked={form.membersCanCreateGroups}
          onChange={(e) => set("membersCanCreateGroups", e.currentTarget.checked)}
        />
        <NativeSelect
          label={t("admin.requireTwoFactor")}
          value={form.requireTwoFactor}
          onChange={(e) => set("requireTwoFactor", e.currentTarget.value as OrgSettings["requireTwoFactor"])}
          data={(["off", "admins", "everyone"] as const).map((v) => ({
            value: v,
            label: t(`admin.twoFactorPolicy.${v}`),
          }))}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("app.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

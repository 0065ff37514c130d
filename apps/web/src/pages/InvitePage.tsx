import { useState, type FormEvent } from "react";
import { Alert, Button, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { post } from "../api/client.ts";
import { useAdoptNewAccount, useBranding } from "../api/session.ts";
import type { SignInAnswer } from "../api/types.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { fragmentToken } from "../lib/format.ts";
import type { InvitationPreview } from "@ensemble/protocol/wire/accounts";

type Preview = InvitationPreview;

/** `/invite#token=…`: shows what the invitation offers, then creates the account and signs in. */
export function InvitePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const adopt = useAdoptNewAccount();
  const brand = useBranding().data?.name ?? "Ensemble";
  const [token] = useState(fragmentToken);
  const preview = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => post<Preview>("/api/invitations/preview", { token }),
    enabled: token.length >= 20,
    retry: false,
  });
  const [form, setForm] = useState({ username: "", displayName: "", email: "", password: "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const field = (k: keyof typeof form) => ({
    value: form[k] || (k === "email" ? (preview.data?.email ?? "") : ""),
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }),
  });
  // Catches and shows its own failures: the form does not wait for it.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const email = form.email || preview.data?.email || "";
      const r = await post<SignInAnswer>("/api/invitations/accept", { token, ...form, email });
      history.replaceState(null, "", "/invite");
      await adopt(r.user);
      navigate("/", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const title = t("auth.inviteTitle", { brand: preview.data?.organisationName ?? brand });
  if (!token || preview.isError) {
    return (
      <AuthLayout title={title}>
        {preview.isError ? (
          <ProblemAlert error={preview.error} />
        ) : (
          <Alert color="yellow">{t("auth.inviteNoToken")}</Alert>
        )}
        <Button component={Link} to="/sign-in" variant="light">
          {t("auth.goToSignIn")}
        </Button>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={title} intro={t("auth.inviteIntro")}>
      {preview.data?.groupName && <Text fw={600}>{preview.data.groupName}</Text>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <ProblemAlert error={error} />
          <TextInput label={t("auth.displayName")} autoComplete="name" required autoFocus {...field("displayName")} />
          <TextInput
            label={t("auth.username")}
            description={t("auth.usernameHint")}
            autoComplete="username"
            required
            {...field("username")}
          />
          <TextInput label={t("auth.email")} type="email" autoComplete="email" required {...field("email")} />
          <PasswordField
            label={t("auth.password")}
            description={t("auth.passwordHint")}
            autoComplete="new-password"
            required
            {...field("password")}
          />
          <Button type="submit" loading={busy} disabled={!preview.data} fullWidth>
            {t("auth.createAccount")}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

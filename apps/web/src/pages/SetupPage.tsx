import { useState, type FormEvent } from "react";
import { Alert, Button, Stack, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { get, post } from "../api/client.ts";
import { useAdoptNewAccount, useBranding } from "../api/session.ts";
import type { SignInAnswer } from "../api/types.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { fragmentToken } from "../lib/format.ts";

/** First run: the link printed by the server carries a one-time token in its fragment. */
export function SetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const adopt = useAdoptNewAccount();
  const brand = useBranding().data?.name ?? "Ensemble";
  const needed = useQuery({ queryKey: ["setup"], queryFn: () => get<{ needed: boolean }>("/api/setup") });
  const [token] = useState(fragmentToken);
  const [form, setForm] = useState({ username: "", displayName: "", email: "", password: "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const field = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }),
  });

  // Catches and shows its own failures: the form does not wait for it.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<SignInAnswer>("/api/setup", { token, ...form });
      history.replaceState(null, "", "/setup");
      await adopt(r.user);
      navigate("/", { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (needed.data && !needed.data.needed) {
    return (
      <AuthLayout title={t("auth.setupTitle")}>
        <Alert>{t("auth.setupDone")}</Alert>
        <Button component={Link} to="/sign-in">
          {t("auth.goToSignIn")}
        </Button>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t("auth.setupTitle")} intro={t("auth.setupIntro", { brand })}>
      {!token && <Alert color="yellow">{t("auth.setupNoToken")}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <ProblemAlert error={error} />
          <TextInput
            label={t("auth.username")}
            description={t("auth.usernameHint")}
            autoComplete="username"
            required
            {...field("username")}
          />
          <TextInput label={t("auth.displayName")} autoComplete="name" required {...field("displayName")} />
          <TextInput label={t("auth.email")} type="email" autoComplete="email" required {...field("email")} />
          <PasswordField
            label={t("auth.password")}
            description={t("auth.passwordHint")}
            autoComplete="new-password"
            required
            {...field("password")}
          />
          <Button type="submit" loading={busy} disabled={!token} fullWidth>
            {t("auth.createAccount")}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

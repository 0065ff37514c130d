import { useState, type FormEvent } from "react";
import { Alert, Anchor, Button, Stack, TextInput } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { post } from "../api/client.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { ProblemAlert } from "../components/ProblemAlert.tsx";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [login, setLogin] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Catches and shows its own failures: the form does not wait for it.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post("/api/auth/password-reset/request", { login });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title={t("auth.resetRequestTitle")} intro={t("auth.resetRequestIntro")}>
      {sent ? (
        <Alert role="status">{t("auth.resetRequestSent")}</Alert>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <ProblemAlert error={error} />
            <TextInput
              label={t("auth.login")}
              value={login}
              onChange={(e) => setLogin(e.currentTarget.value)}
              autoComplete="username"
              required
              autoFocus
            />
            <Button type="submit" loading={busy} fullWidth>
              {t("auth.sendLink")}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/sign-in" ta="center" size="sm">
        {t("auth.goToSignIn")}
      </Anchor>
    </AuthLayout>
  );
}

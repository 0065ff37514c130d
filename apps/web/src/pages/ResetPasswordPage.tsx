import { useState, type FormEvent } from "react";
import { Alert, Anchor, Button, Stack } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { post } from "../api/client.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { fragmentToken } from "../lib/format.ts";

/** The link from the reset e-mail: `/reset-password#token=…`. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [token] = useState(fragmentToken);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const differ = confirm.length > 0 && confirm !== password;
  // Catches and shows its own failures: the form does not wait for it.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (differ) return;
    setBusy(true);
    setError(null);
    try {
      await post("/api/auth/password-reset/confirm", { token, password });
      history.replaceState(null, "", "/reset-password");
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title={t("auth.resetTitle")}>
      {done ? (
        <Alert role="status">{t("auth.resetDone")}</Alert>
      ) : !token ? (
        <Alert color="yellow">{t("auth.resetNoToken")}</Alert>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <ProblemAlert error={error} />
            <PasswordField
              label={t("auth.newPassword")}
              description={t("auth.passwordHint")}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
              required
              autoFocus
            />
            <PasswordField
              label={t("auth.confirmPassword")}
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              autoComplete="new-password"
              required
              error={differ ? t("auth.passwordsDiffer") : undefined}
            />
            <Button type="submit" loading={busy} fullWidth>
              {t("app.save")}
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

import { useState, type FormEvent } from "react";
import { Anchor, Button, Divider, Stack, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { ApiError, get, post } from "../api/client.ts";
import { useBranding, useMe, useSetMe } from "../api/session.ts";
import type { SignInAnswer } from "../api/types.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { safeNext } from "../lib/safe-next.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import type { AuthProviders } from "@ensemble/protocol/wire/accounts";

type Providers = AuthProviders;

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const setMe = useSetMe();
  const me = useMe();
  const brand = useBranding().data?.name ?? "Ensemble";
  const providers = useQuery({
    queryKey: ["providers"],
    queryFn: async () => {
      try {
        return await get<Providers>("/api/auth/providers");
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return { oidc: null, ssoOnly: false };
        throw e;
      }
    },
  });
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [step, setStep] = useState<"password" | "second-factor">("password");
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get("next"));

  if (me.data) return <Navigate to={next} replace />;

  // Catches and shows its own failures: the form does not wait for it.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const second = step === "second-factor" ? (useRecovery ? { recoveryCode: code } : { totp: code }) : {};
      const r = await post<SignInAnswer>("/api/auth/sign-in", { login, password, ...second });
      setMe(r.user);
      navigate(r.mustEnrolTwoFactor ? "/settings/two-factor" : next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === "two_factor_required") {
        setStep("second-factor");
        setCode("");
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const oidc = providers.data?.oidc;
  const ssoOnly = providers.data?.ssoOnly ?? false;

  if (step === "second-factor") {
    return (
      <AuthLayout title={t("auth.twoFactorTitle")} intro={t("auth.twoFactorIntro")}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <ProblemAlert error={error} />
            <TextInput
              label={useRecovery ? t("auth.recoveryCode") : t("auth.totp")}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              autoComplete="one-time-code"
              inputMode={useRecovery ? "text" : "numeric"}
              required
              data-autofocus
              autoFocus
            />
            <Button type="submit" loading={busy} fullWidth>
              {t("auth.verify")}
            </Button>
            <Button variant="subtle" onClick={() => setUseRecovery((v) => !v)}>
              {useRecovery ? t("auth.useTotp") : t("auth.useRecoveryCode")}
            </Button>
            <Button variant="subtle" color="gray" onClick={() => setStep("password")}>
              {t("auth.back")}
            </Button>
          </Stack>
        </form>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t("auth.signInTitle")} intro={t("auth.signInIntro", { brand })}>
      <Stack>
        {oidc && (
          <Button component="a" href="/api/auth/oidc/start" variant={ssoOnly ? "filled" : "outline"} fullWidth>
            {t("auth.signInWith", { name: oidc.name })}
          </Button>
        )}
        {oidc && !ssoOnly && <Divider label={t("auth.or")} labelPosition="center" />}
        {!ssoOnly && (
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
              <PasswordField
                label={t("auth.password")}
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                autoComplete="current-password"
                required
              />
              <Button type="submit" loading={busy} fullWidth>
                {t("auth.signIn")}
              </Button>
              <Anchor component={Link} to="/forgot-password" ta="center" size="sm">
                {t("auth.forgotPassword")}
              </Anchor>
            </Stack>
          </form>
        )}
      </Stack>
    </AuthLayout>
  );
}

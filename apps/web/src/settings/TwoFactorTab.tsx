import { useState, type FormEvent } from "react";
import { Alert, Button, Code, Group, Image, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PasswordField } from "../components/PasswordField.tsx";
import { get, post } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { reconnectRealtime } from "../lib/realtime.ts";
import type { TwoFactorSetup } from "@ensemble/protocol/wire/accounts";

type Setup = TwoFactorSetup;

/** TOTP enrolment with QR code, recovery codes, and turning it off. */
export function TwoFactorTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const state = useQuery({
    queryKey: ["two-factor"],
    queryFn: () => get<{ enabled: boolean; recoveryCodesLeft: number }>("/api/me/two-factor"),
  });
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ["two-factor"] });
    await qc.invalidateQueries({ queryKey: ["me"] });
  };
  const start = useMutation({ mutationFn: () => post<Setup>("/api/me/two-factor/setup"), onSuccess: setSetup });
  const enable = useMutation({
    mutationFn: () => post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", { code }),
    onSuccess: (r) => {
      setCodes(r.recoveryCodes);
      setSetup(null);
      setCode("");
      void refresh();
      void reconnectRealtime();
    },
  });
  const disable = useMutation({
    mutationFn: () => post("/api/me/two-factor/disable", password ? { password } : { code }),
    onSuccess: () => {
      setPassword("");
      setCode("");
      setCodes(null);
      void refresh();
    },
  });
  const regenerate = useMutation({
    mutationFn: () => post<{ recoveryCodes: string[] }>("/api/me/two-factor/recovery-codes", { code }),
    onSuccess: (r) => {
      setCodes(r.recoveryCodes);
      setCode("");
      void refresh();
    },
  });
  const error = state.error ?? start.error ?? enable.error ?? disable.error ?? regenerate.error;
  const onEnable = (e: FormEvent) => {
    e.preventDefault();
    enable.mutate();
  };

  return (
    <Stack maw={560}>
      <ProblemAlert error={error} />
      {codes && (
        <Alert color="green" role="status">
          <Text mb="xs">{t("settings.recoveryCodesIntro")}</Text>
          <SimpleGrid cols={2} data-testid="recovery-codes">
            {codes.map((c) => (
              <Code key={c}>{c}</Code>
            ))}
          </SimpleGrid>
        </Alert>
      )}
      {state.data?.enabled ? (
        <>
          <Text>{t("settings.twoFactorOn", { count: state.data.recoveryCodesLeft })}</Text>
          <TextInput
            label={t("auth.totp")}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            autoComplete="one-time-code"
            inputMode="numeric"
          />
          <PasswordField
            label={t("settings.currentPassword")}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
          />
          <Group>
            <Button variant="light" onClick={() => regenerate.mutate()} disabled={code.length !== 6}>
              {t("settings.regenerateCodes")}
            </Button>
            <Button color="red" variant="light" onClick={() => disable.mutate()} disabled={!password && !code}>
              {t("settings.twoFactorDisable")}
            </Button>
          </Group>
        </>
      ) : setup ? (
        <form onSubmit={onEnable} noValidate>
          <Stack>
            <Text>{t("settings.twoFactorScan", { secret: setup.secret })}</Text>
            <Image src={setup.qrCode} alt={t("settings.qrAlt")} w={200} h={200} />
            <TextInput
              label={t("auth.totp")}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              autoComplete="one-time-code"
              inputMode="numeric"
              required
            />
            <Group>
              <Button type="submit" loading={enable.isPending}>
                {t("settings.twoFactorEnable")}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <>
          <Text>{t("settings.twoFactorOff")}</Text>
          <Group>
            <Button onClick={() => start.mutate()} loading={start.isPending}>
              {t("settings.twoFactorStart")}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

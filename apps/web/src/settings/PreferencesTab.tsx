import { useMemo } from "react";
import { NativeSelect, Select, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/session.ts";
import { LANGUAGES } from "../i18n/i18n.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { formatDate } from "@ensemble/ui";
import { timeZones } from "../lib/format.ts";
import { useSaveProfile } from "./useSaveProfile.ts";

/** Language and time zone apply as soon as they are chosen. */
export function PreferencesTab() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const save = useSaveProfile();
  const zones = useMemo(() => timeZones(), []);
  if (!me) return null;
  return (
    <Stack maw={520}>
      <ProblemAlert error={save.error} />
      <NativeSelect
        label={t("app.language")}
        value={me.locale}
        onChange={(e) => save.mutate({ locale: e.currentTarget.value })}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`app.languages.${l}`) }))}
      />
      <Select
        label={t("settings.timeZone")}
        value={me.timeZone}
        searchable
        data={zones}
        onChange={(v) => v && save.mutate({ timeZone: v })}
        allowDeselect={false}
      />
      <Text size="sm" c="dimmed" data-testid="now-in-zone">
        {formatDate(new Date(), "dateTime", i18n.language, me.timeZone)}
      </Text>
    </Stack>
  );
}

import { NativeSelect } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { LANGUAGES, setLanguage } from "../i18n/i18n.ts";

/** Language choice before sign-in (after sign-in it is a profile setting). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      size="xs"
      label={t("app.language")}
      value={i18n.language}
      onChange={(e) => {
        localStorage.setItem("ensemble.lang", e.currentTarget.value);
        setLanguage(e.currentTarget.value);
      }}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`app.languages.${l}`) }))}
    />
  );
}

import i18next from "i18next";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import fr from "./i18n/fr.json" with { type: "json" };
import en from "./i18n/en.json" with { type: "json" };
import { problemCode } from "./host.tsx";

/** The chat's texts travel with its chunk, in the `chat` namespace (the shell's one i18next instance). */
export function registerChatTexts(): void {
  if (!i18next.hasResourceBundle("fr", "chat")) i18next.addResourceBundle("fr", "chat", fr, true, true);
  if (!i18next.hasResourceBundle("en", "chat")) i18next.addResourceBundle("en", "chat", en, true, true);
}

/** An API error as a sentence, from the shell's translated problem codes. */
export function useProblemText(): (e: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (e: unknown) => {
      const code = problemCode(e);
      return i18next.exists(`problems.${code}`) ? t(`problems.${code}`) : t("problems.internal");
    },
    [t],
  );
}

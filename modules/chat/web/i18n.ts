import i18next from "i18next";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import fr from "./i18n/fr.json" with { type: "json" };
import en from "./i18n/en.json" with { type: "json" };
import { problemCode } from "./host.tsx";

/**
 * The chat's texts travel with its chunk, merged into the `chat` namespace
 * (the shell's one i18next instance) where the manifest's labels already are.
 */
export function registerChatTexts(): void {
  if (!i18next.exists("room.loading", { ns: "chat", lng: "fr" })) {
    i18next.addResourceBundle("fr", "chat", fr, true, true);
    i18next.addResourceBundle("en", "chat", en, true, true);
  }
}

/** Problem texts: the chat's own codes (its manifest), then the shell's. */
const PROBLEM_NS = ["chat", "translation"];

/** An API error as a sentence. */
export function useProblemText(): (e: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (e: unknown) => {
      const code = problemCode(e);
      return i18next.exists(`problems.${code}`, { ns: PROBLEM_NS })
        ? t(`problems.${code}`, { ns: PROBLEM_NS })
        : t("problems.internal", { ns: "translation" });
    },
    [t],
  );
}

import i18next from "i18next";
import fr from "./i18n/fr.json" with { type: "json" };
import en from "./i18n/en.json" with { type: "json" };
import { useProblemText as useSharedProblemText } from "@ensemble/ui";

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

/** An API error as a sentence: the chat's own problem texts (its manifest), then the shell's. */
export const useProblemText = (): ((e: unknown) => string) => useSharedProblemText("chat");

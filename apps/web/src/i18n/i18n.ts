import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import fr from "./fr.json";
import en from "./en.json";
import { manifests } from "../modules/manifests.ts";

export const LANGUAGES = ["fr", "en"] as const;

/** French first: it is the default and the fallback. Each module's labels are the namespace named after it. */
void i18n.use(initReactI18next).init({
  resources: {
    fr: { translation: fr, ...Object.fromEntries(manifests.map((m) => [m.name, m.messages.fr])) },
    en: { translation: en, ...Object.fromEntries(manifests.map((m) => [m.name, m.messages.en])) },
  },
  lng: "fr",
  fallbackLng: "fr",
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The first of the browser's preferred languages that the product speaks (`en-GB` → `en`), if any. */
export function browserLanguage(): string | undefined {
  return navigator.languages
    .map((l) => l.slice(0, 2).toLowerCase())
    .find((l) => (LANGUAGES as readonly string[]).includes(l));
}

export function setLanguage(lang: string): void {
  const next = (LANGUAGES as readonly string[]).includes(lang) ? lang : "fr";
  if (i18n.language !== next) void i18n.changeLanguage(next);
  document.documentElement.lang = next;
}

import { expect } from "vitest";
import type { Page } from "playwright-core";
import fr from "../../apps/web/src/i18n/fr.json" with { type: "json" };
import en from "../../apps/web/src/i18n/en.json" with { type: "json" };

import { readFileSync } from "node:fs";
import { DEFAULT_MODULE_LIST, readModuleList } from "../../apps/server/src/module-list.ts";

export type Lang = "fr" | "en";
/** The services of the shipped module list (modules.json): `@ensemble/chat` → `chat`. */
export const SERVICES = readModuleList(DEFAULT_MODULE_LIST).map((entry) => entry.replace(/^@ensemble\//, ""));

/** A shipped service's navigation label, from the labels its manifest loads with the shell (`web/i18n/manifest.<lang>.json`). */
export function serviceNav(lang: Lang, service: string): string {
  const file = new URL(`../../modules/${service}/web/i18n/manifest.${lang}.json`, import.meta.url);
  const labels = JSON.parse(readFileSync(file, "utf8")) as { nav?: unknown };
  if (typeof labels.nav !== "string") throw new Error(`no navigation label in ${file.pathname}`);
  return labels.nav;
}
export const texts = { fr, en } as const;

/** The UI text for a key, with {{placeholders}} filled: tests read labels from the same files as the app. */
export function tr(lang: Lang, key: string, vars: Record<string, string> = {}): string {
  let node: unknown = texts[lang];
  for (const part of key.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "string") throw new Error(`no text for ${key} in ${lang}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? "");
}

export const PASSWORD = "Correct-Horse-Battery-42";

/** Fills an account form (setup or invitation) and submits it. */
export async function fillAccountForm(
  page: Page,
  lang: Lang,
  a: { username: string; displayName: string; email: string },
) {
  await page.getByRole("textbox", { name: tr(lang, "auth.displayName") }).fill(a.displayName);
  await page.getByRole("textbox", { name: tr(lang, "auth.username") }).fill(a.username);
  await page.getByRole("textbox", { name: tr(lang, "auth.email") }).fill(a.email);
  await page.getByRole("textbox", { name: tr(lang, "auth.password"), exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: tr(lang, "auth.createAccount") }).click();
}

/** Chooses the language on a page before sign-in (its label is in the browser's language on a first visit). */
export async function chooseLanguage(page: Page, lang: Lang) {
  const label = new RegExp(`^(${tr("fr", "app.language")}|${tr("en", "app.language")})$`);
  await page.getByRole("combobox", { name: label }).selectOption(lang);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
}

export async function signIn(page: Page, lang: Lang, login: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByRole("textbox", { name: tr(lang, "auth.login") }).fill(login);
  await page.getByRole("textbox", { name: tr(lang, "auth.password"), exact: true }).fill(password);
  await page.getByRole("button", { name: tr(lang, "auth.signIn"), exact: true }).click();
  await page
    .getByRole("heading", { level: 1, name: new RegExp(tr(lang, "home.greeting", { name: "" }).trim()) })
    .waitFor();
}

export async function greeting(page: Page, lang: Lang, name: string) {
  await page.getByRole("heading", { level: 1, name: tr(lang, "home.greeting", { name }) }).waitFor();
}

/** Collects CSP violations and uncaught errors reported by the page. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return problems;
}

export async function brandBackground(page: Page): Promise<string> {
  return page.locator("header.brand-header").evaluate((el) => getComputedStyle(el).backgroundColor);
}

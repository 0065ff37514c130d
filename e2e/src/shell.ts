import { expect } from "vitest";
import type { Page } from "playwright-core";
import fr from "../../apps/web/src/i18n/fr.json" with { type: "json" };
import en from "../../apps/web/src/i18n/en.json" with { type: "json" };

import { readFileSync } from "node:fs";

export type Lang = "fr" | "en";
export const SERVICES = ["chat", "files", "boards", "meetings"] as const;
export type Service = (typeof SERVICES)[number];

/** Whether a service still shows the shell's "coming soon" page (its module's web entry has not landed). */
export function comingSoon(service: Service): boolean {
  return readFileSync(new URL(`../../apps/web/src/services/${service}.tsx`, import.meta.url), "utf8").includes(
    "<ComingSoon",
  );
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

export async function chooseLanguage(page: Page, lang: Lang) {
  await page.getByRole("combobox", { name: tr("fr", "app.language") }).selectOption(lang);
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

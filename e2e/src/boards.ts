import type { Page } from "playwright-core";
import boardsFr from "../../modules/boards/web/i18n/manifest.fr.json" with { type: "json" };

/** A boards text in French, with {{placeholders}} filled, from the module's own file. */
export function bt(key: string, vars: Record<string, string | number> = {}): string {
  let node: unknown = boardsFr;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "string") throw new Error(`no boards text for ${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? ""));
}

/** A list's column on the board page, and a card in it. */
export const column = (p: Page, list: string) => p.locator(`[data-list="${list}"]`);
export const cardIn = (p: Page, list: string, card: string) => column(p, list).locator(`[data-card="${card}"]`);

/** Fails with the server's answer when a setup request does not succeed. */
export async function ok<T>(p: Promise<{ status: number; body: T; text: string }>): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

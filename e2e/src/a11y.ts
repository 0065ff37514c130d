import { expect } from "vitest";
import type { Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { contrast, type Rgb } from "../../apps/web/src/theme/color.ts";

/**
 * The accessibility harness every service's browser suite uses (issue 16):
 * axe at desktop and phone size, and where the keyboard focus is after a step.
 */

/** The audit's two sizes: a desktop window and a phone. */
export const SIZES = [
  { width: 1400, height: 900 },
  { width: 390, height: 844 },
] as const;

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe's violations on the page as it is now: every one of a WCAG 2.0/2.1 A or AA rule, whatever its impact
 * (issue 16 asks for none), and the serious and critical ones of its best practices.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags([...WCAG, "best-practice"]).analyze();
  return r.violations
    .filter((v) => v.tags.some((t) => WCAG.includes(t)) || v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          // A11Y_TRACE=1 adds each node's markup and axe's explanation, to find what to fix.
          .map((n) => n.target.join(" ") + (process.env.A11Y_TRACE ? ` ${n.html} — ${n.failureSummary}` : ""))
          .join(", ")}`,
    );
}

/**
 * Checks the page with axe at each size (`ready` waits for the screen to be
 * drawn again after the resize), then restores the viewport.
 */
export async function expectAxeClean(page: Page, label: string, ready?: () => Promise<unknown>): Promise<void> {
  const before = page.viewportSize();
  try {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await ready?.();
      expect(await axeViolations(page), `${label} at ${size.width}×${size.height}`).toEqual([]);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

export interface FocusState {
  /** The focused element, described for messages (`button "Réagir"`), or `body`. */
  target: string;
  /** The ring's colour (outline, else the first box-shadow colour), or null when nothing shows. */
  ring: Rgb | null;
  /** What the ring sits on: the nearest opaque background outside the element (inside it for an inset ring). */
  background: Rgb;
}

/** Where the focus is and how it shows. */
export function focusState(page: Page): Promise<FocusState> {
  return page.evaluate(() => {
    const rgb = (c: string): [number, number, number, number] | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const [r = 0, g = 0, b = 0, a = 1] = m[1]!.split(/[ ,/]+/).map(Number);
      return [r, g, b, a];
    };
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { target: "body", ring: null, background: [255, 255, 255] };
    const s = getComputedStyle(el);
    const name = (el.getAttribute("aria-label") ?? el.innerText ?? "").trim().split("\n")[0]!.slice(0, 40);
    const target = `${el.getAttribute("role") ?? el.tagName.toLowerCase()} "${name}"`;
    let ring: [number, number, number, number] | null = null;
    let inset = false;
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) {
      ring = rgb(s.outlineColor);
      inset = parseFloat(s.outlineOffset) < -parseFloat(s.outlineWidth) / 2;
    } else if (s.boxShadow !== "none") {
      ring = rgb(s.boxShadow);
      inset = s.boxShadow.includes("inset");
    }
    let background: [number, number, number] = [255, 255, 255];
    for (let n: HTMLElement | null = inset ? el : el.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0.5) {
        background = [c[0], c[1], c[2]];
        break;
      }
    }
    return { target, ring: ring && ring[3] > 0.5 ? [ring[0], ring[1], ring[2]] : null, background };
  });
}

/** After a keyboard step: the focus is on an element (never `<body>`) and its ring reads at 3:1 or more. */
export async function expectVisibleFocus(page: Page, step: string): Promise<FocusState> {
  // The shell puts back a focus lost with a removed element (useFocusRescue) 50 ms later: wait for it, not for a time.
  await expect
    .poll(async () => (await focusState(page)).target, { timeout: 5_000, message: `${step}: focus dropped to <body>` })
    .not.toBe("body");
  const f = await focusState(page);
  expect(f.target, `${step}: focus dropped to <body>`).not.toBe("body");
  expect(f.ring, `${step}: ${f.target} shows no focus ring`).not.toBeNull();
  const ratio = contrast(f.ring!, f.background);
  expect(ratio, `${step}: ${f.target} ring ${f.ring!.join(",")} on ${f.background.join(",")}`).toBeGreaterThanOrEqual(
    3,
  );
  return f;
}

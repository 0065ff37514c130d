/** Colour arithmetic for branding: WCAG relative luminance, contrast, shades. */
export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const n = m ? parseInt(m[1]!, 16) : 0x000091;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b]
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

export function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** Ten shades, lightest first, with the brand colour itself at index 6 (Mantine's default primary shade). */
export function shades(hex: string): string[] {
  const base = parseHex(hex);
  const light = [0.92, 0.82, 0.68, 0.52, 0.36, 0.18].map((t) => toHex(mix(base, WHITE, t)));
  const dark = [0.16, 0.32, 0.48].map((t) => toHex(mix(base, BLACK, t)));
  return [...light, toHex(base), ...dark];
}

/** Black or white, whichever reads better on the colour (always ≥ 4.5:1, WCAG AA). */
export function textOn(hex: string): "#ffffff" | "#000000" {
  const c = parseHex(hex);
  return contrast(c, WHITE) >= contrast(c, BLACK) ? "#ffffff" : "#000000";
}

/**
 * The brand colour, darkened until it reads as text on white with AA
 * contrast, with margin for the light tints it also sits on (light buttons, badges).
 */
export function readableOnWhite(hex: string): string {
  let c = parseHex(hex);
  for (let i = 0; i < 30 && contrast(c, WHITE) < 6; i++) c = mix(c, BLACK, 0.1);
  return toHex(c);
}

/**
 * Focus ring colours for a brand (WCAG 2.4.7 and 1.4.11: ≥ 3:1 against what
 * surrounds the ring). On the page (white) the darkened brand; on the header
 * (the brand itself) the header's text colour. A single colour cannot always
 * serve both: a brand of relative luminance between about 0.07 and 0.10 has
 * no colour at 3:1 from white and from itself.
 */
export function focusColors(hex: string): { page: string; header: string } {
  return { page: readableOnWhite(hex), header: textOn(hex) };
}

import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from "@mantine/core";
import { readableOnWhite, shades, textOn } from "./color.ts";

/**
 * The Mantine theme generated from the organisation's colour. Text on the
 * colour is black or white by contrast; links and outlines use a darkened
 * variant so that any brand colour stays AA-readable on white.
 */
export function brandTheme(color: string) {
  return createTheme({
    primaryColor: "brand",
    primaryShade: 6,
    autoContrast: true,
    // WCAG crossover: above this relative luminance black text reads better than white.
    luminanceThreshold: 0.179,
    colors: { brand: shades(color) as unknown as MantineColorsTuple },
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Marianne', Arial, sans-serif",
    defaultRadius: "md",
    focusRing: "auto",
    respectReducedMotion: true,
    cursorType: "pointer",
    // Links inside text must not rely on colour alone (WCAG 1.4.1).
    components: { Anchor: { defaultProps: { underline: "always" } } },
  });
}

/** Text colours of Mantine's "light" variants, dark enough to stay AA on their own tint. */
const LIGHT_VARIANT_TEXT: Record<string, string> = {
  green: "#1e6b34",
  red: "#b02a2a",
  gray: "#343a40",
  yellow: "#6b5200",
  orange: "#8a3f00",
  blue: "#114c99",
};

export function brandVariables(color: string): CSSVariablesResolver {
  const onBrand = textOn(color);
  const ink = readableOnWhite(color);
  return () => ({
    variables: {},
    light: {
      "--mantine-primary-color-contrast": onBrand,
      "--mantine-color-anchor": ink,
      "--mantine-color-brand-light-color": ink,
      ...Object.fromEntries(
        Object.entries(LIGHT_VARIANT_TEXT).map(([c, v]) => [`--mantine-color-${c}-light-color`, v]),
      ),
      // Mantine's default dimmed grey is 3.3:1 on white; this one is AA.
      "--mantine-color-dimmed": "#495057",
      "--mantine-color-placeholder": "#5c636a",
      "--ensemble-brand": color,
      "--ensemble-on-brand": onBrand,
      "--ensemble-brand-ink": ink,
    },
    dark: {},
  });
}

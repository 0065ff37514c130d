import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from "@mantine/core";
import { focusColors, readableOnWhite, shades, textOn } from "./color.ts";

/**
 * Mantine's red from shade 6 on is 3.3:1 on white (« Supprimer » in a menu, white on a red button): these
 * shades keep red text and white-on-red at 4.5:1 or more.
 */
const DANGER: MantineColorsTuple = [
  "#fff5f5",
  "#ffe3e3",
  "#ffc9c9",
  "#ffa8a8",
  "#ff8787",
  "#ff6b6b",
  "#c92a2a",
  "#b02a2a",
  "#9b2222",
  "#861d1d",
];

/**
 * The Mantine theme generated from the organisation's colour. Text on the
 * colour is black or white by contrast; links and outlines use a darkened
 * variant so that any brand colour stays AA-readable on white.
 */
export function brandTheme(color: string, closeLabel: string) {
  // Every dialog's and drawer's « × » gets a name even where the page gave none (issue 16).
  const closeButtonProps = { "aria-label": closeLabel };
  return createTheme({
    primaryColor: "brand",
    primaryShade: 6,
    autoContrast: true,
    // WCAG crossover: above this relative luminance black text reads better than white.
    luminanceThreshold: 0.179,
    colors: { brand: shades(color) as unknown as MantineColorsTuple, red: DANGER },
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Marianne', Arial, sans-serif",
    defaultRadius: "md",
    focusRing: "auto",
    respectReducedMotion: true,
    cursorType: "pointer",
    // Links inside text must not rely on colour alone (WCAG 1.4.1).
    components: {
      Anchor: { defaultProps: { underline: "always" } },
      Modal: { defaultProps: { closeButtonProps } },
      Drawer: { defaultProps: { closeButtonProps } },
      CloseButton: { defaultProps: { "aria-label": closeLabel } },
      // Mantine's focus placeholder is a bare div inside role=menu, which may hold only menu items (axe
      // aria-required-children); without it the first item takes the focus, as the ARIA menu pattern has it.
      Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
      // A labelled loader (« Chargement ») needs a role for its label to count (axe aria-prohibited-attr).
      Loader: { defaultProps: { role: "status" } },
      // A table wider than a phone scrolls in its own box: a Tab stop, so that the keyboard scrolls it too.
      TableScrollContainer: { defaultProps: { type: "native", tabIndex: 0 } },
    },
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
  const focus = focusColors(color);
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
      "--ensemble-focus": focus.page,
      "--ensemble-focus-on-brand": focus.header,
    },
    dark: {},
  });
}

import { useEffect, useMemo } from "react";
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import { setProfileTimeZone } from "@ensemble/ui";
import { useTranslation } from "react-i18next";
import { useBranding, useMe } from "./api/session.ts";
import { browserLanguage, setLanguage } from "./i18n/i18n.ts";
import { brandTheme, brandVariables } from "./theme/theme.ts";
import { router } from "./router.tsx";

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const DEFAULT_COLOR = "#000091";

/** Branding (colour, name) and language follow the server: the theme is rebuilt whenever they change. */
function Themed() {
  const branding = useBranding().data;
  const me = useMe().data;
  const color = branding?.color ?? DEFAULT_COLOR;
  const closeLabel = useTranslation().t("app.close");
  const theme = useMemo(() => brandTheme(color, closeLabel), [color, closeLabel]);
  const resolver = useMemo(() => brandVariables(color), [color]);

  // Signed in: the profile's language. Before: the one chosen on this device, else the browser's (a first
  // visit from an English browser reads English), else the organisation's default.
  useEffect(() => {
    setLanguage(
      me?.locale ?? localStorage.getItem("ensemble.lang") ?? browserLanguage() ?? branding?.defaultLocale ?? "fr",
    );
  }, [me?.locale, branding?.defaultLocale]);

  // Every date in the shell and the modules follows the profile's zone (the browser's when signed out).
  useEffect(() => setProfileTimeZone(me?.timeZone), [me?.timeZone]);

  useEffect(() => {
    document.querySelector('meta[name="theme-color"]')?.setAttribute("content", color);
    // The favicon follows the organisation's logo.
    document
      .querySelector('link[rel="icon"]')
      ?.setAttribute("href", branding?.logoUrl ? `${branding.logoUrl}&size=64` : "/icons/icon-192.png");
  }, [branding?.logoUrl, color]);

  return (
    <MantineProvider theme={theme} cssVariablesResolver={resolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <RouterProvider router={router} />
    </MantineProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Themed />
    </QueryClientProvider>
  );
}

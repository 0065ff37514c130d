import { useEffect, useRef, useState } from "react";
import { Outlet, useLocation, useMatches } from "react-router";
import { useTranslation } from "react-i18next";
import { PageTitleProvider } from "@ensemble/ui";
import { useBranding } from "../api/session.ts";
import { useFocusRescue } from "./useFocusRescue.ts";
import { useRouteFocus } from "./useRouteFocus.ts";

/** What a route says about itself (`handle` in router.tsx): the key of its section's name and its namespace. */
export interface RouteTitle {
  title: string;
  ns?: string;
}

const isRouteTitle = (h: unknown): h is RouteTitle =>
  typeof h === "object" && h !== null && typeof (h as { title?: unknown }).title === "string";

/** « part — section — organisation », each once: « #projet-tramway — Discutons — Métropole ». */
export function composeTitle(parts: readonly (string | undefined)[]): string {
  return parts.filter((p, i): p is string => !!p && parts.indexOf(p) === i).join(" — ");
}

/**
 * Around every route: the document title (the deepest route's section, the
 * part a page names with usePageTitle, the organisation), announced to screen
 * readers when it changes, the focus moved to the new page's heading, and a
 * focus lost to `<body>` given back (useFocusRescue).
 */
export function PageFrame() {
  const { t } = useTranslation();
  const brand = useBranding().data?.name ?? "Ensemble";
  const { pathname } = useLocation();
  const handle = useMatches()
    .map((m) => m.handle)
    .filter(isRouteTitle)
    .at(-1);
  const [part, setPart] = useState<string | undefined>();
  const title = composeTitle([part, handle ? t(handle.title, { ns: handle.ns ?? "translation" }) : undefined, brand]);
  const [announced, setAnnounced] = useState("");
  const shown = useRef(false);

  useEffect(() => {
    document.title = title;
    // The first title is the page the person asked for; later ones are changes worth saying.
    if (shown.current) setAnnounced(title);
    shown.current = true;
  }, [title]);
  useRouteFocus(pathname);
  useFocusRescue();

  return (
    <PageTitleProvider setPart={setPart}>
      <Outlet />
      <div role="status" aria-live="polite" aria-atomic="true" className="visually-hidden" data-testid="page-announcer">
        {announced}
      </div>
    </PageTitleProvider>
  );
}

import { useEffect, useRef } from "react";

/** The page's own heading when it marks one (a chat room's name), else its first level-one heading. */
function pageHeading(): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>("[data-page-heading]") ??
    document.querySelector<HTMLElement>("main h1") ??
    document.querySelector<HTMLElement>("h1")
  );
}

/**
 * The focus is already somewhere in the page: a field the page focused (a
 * composer, the login) or the control that changed the page without leaving
 * it (a tab, a room in the chat's list). Only a focus left on `<body>` or
 * outside the content (the navigation, a closing dialog) is moved.
 */
function claimedByPage(ours: Element | null): boolean {
  const el = document.activeElement;
  if (!el || el === document.body || el === ours) return false;
  return el.matches("input, textarea, select, [contenteditable='true']") || el.closest("main") !== null;
}

function focusHeading(h: HTMLElement) {
  if (!h.hasAttribute("tabindex")) h.setAttribute("tabindex", "-1");
  h.focus();
}

/**
 * After a change of page (not the first load) the focus goes to the page's
 * heading, so that a keyboard or screen-reader user starts from the new
 * content instead of `<body>` (WCAG 2.4.3). Lazy pages draw their heading
 * later: the document is watched until the marked heading shows up or the
 * person acts (a key, a click), whichever comes first.
 */
export function useRouteFocus(pathname: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let done = false;
    let ours: HTMLElement | null = null;
    const place = () => {
      if (done || claimedByPage(ours)) return (done = true);
      const marked = document.querySelector<HTMLElement>("[data-page-heading]");
      const h = marked ?? pageHeading();
      if (h && document.activeElement !== h) {
        focusHeading(h);
        ours = h;
      }
      // An h1 may be followed by the page's own heading (the chat's sidebar, then its room): keep watching for it.
      if (marked) done = true;
      return done;
    };
    const observer = new MutationObserver(() => {
      if (place()) stop();
    });
    const stop = () => {
      done = true;
      observer.disconnect();
      window.removeEventListener("keydown", stop, true);
      window.removeEventListener("pointerdown", stop, true);
    };
    if (place()) return;
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("keydown", stop, true);
    window.addEventListener("pointerdown", stop, true);
    return stop;
  }, [pathname]);
}

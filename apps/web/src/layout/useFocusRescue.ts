import { useEffect } from "react";

/** How many recently focused elements are remembered. */
const KEEP = 30;

/** Still in the page, drawn, and focusable by the person. */
function usable(el: HTMLElement): boolean {
  return (
    el.isConnected &&
    el.getClientRects().length > 0 &&
    !el.closest("[inert], [aria-hidden='true']") &&
    !el.matches(":disabled")
  );
}

/**
 * A keyboard user never loses the focus to `<body>` (issue 16, WCAG 2.4.3).
 * When what held it disappears — the menu item that opened a dialog, then that
 * dialog on Esc, an entry removed from a list — Chromium leaves the focus on
 * `<body>` and the next Tab starts from the top of the page. The focus goes
 * back to the last element that had it and is still in the page: the menu's
 * button, the dialog's opener. Not while a modal dialog is open (it places its
 * own focus), and not after a pointer press (a click on the page's background
 * is the person's choice). Runs after Mantine's own return of focus (10 ms)
 * and a new page's heading (useRouteFocus), which both win.
 */
export function useFocusRescue(): void {
  useEffect(() => {
    const recent: WeakRef<HTMLElement>[] = [];
    let pointer = false;
    let timer = 0;
    const lost = () => !document.activeElement || document.activeElement === document.body;
    const rescue = () => {
      if (pointer || !lost() || document.querySelector("[role='dialog'][aria-modal='true']")) return;
      for (let i = recent.length - 1; i >= 0; i--) {
        const el = recent[i]!.deref();
        if (!el || !usable(el)) continue;
        el.focus();
        if (!lost()) return;
      }
    };
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(rescue, 50);
    };
    const onFocusIn = (e: FocusEvent) => {
      if (!(e.target instanceof HTMLElement) || recent.at(-1)?.deref() === e.target) return;
      recent.push(new WeakRef(e.target));
      if (recent.length > KEEP) recent.shift();
    };
    const onFocusOut = (e: FocusEvent) => {
      if (!e.relatedTarget) later();
    };
    // A removed element takes the focus with it without a focusout event.
    const observer = new MutationObserver(() => {
      if (lost()) later();
    });
    const onPointer = () => void (pointer = true);
    const onKey = () => void (pointer = false);
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("focusout", onFocusOut);
    document.addEventListener("pointerdown", onPointer, true);
    document.addEventListener("keydown", onKey, true);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      window.clearTimeout(timer);
      observer.disconnect();
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("focusout", onFocusOut);
      document.removeEventListener("pointerdown", onPointer, true);
      document.removeEventListener("keydown", onKey, true);
    };
  }, []);
}

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

/** Where the keyboard starts in a layer: what it asks for (as Mantine's focus trap does), else its first control. */
const FIRST =
  "[data-autofocus], input:not([disabled]):not([aria-haspopup='listbox']), textarea:not([disabled]), [role='menuitem']:not([data-disabled]), button:not([disabled]):not([tabindex='-1']), [href], [tabindex='0']";

/**
 * The open modal dialog, menu or popover drawn on top (the last opened: each is a portal appended to the
 * page), if any: the layer the person is working in.
 */
function openLayer(): HTMLElement | undefined {
  const layers = document.querySelectorAll<HTMLElement>(
    "[role='dialog'][aria-modal='true'], .mantine-Popover-dropdown, .mantine-Menu-dropdown",
  );
  return [...layers].reverse().find(usable);
}

/**
 * A keyboard user never loses the focus to `<body>` (issue 16, WCAG 2.4.3).
 * When what held it disappears — the menu item that opened a dialog, then that
 * dialog on Esc, an entry removed from a list — Chromium leaves the focus on
 * `<body>` and the next Tab starts from the top of the page. The focus goes
 * back to the last element that had it and is still in the page: the menu's
 * button, the dialog's opener. Not after a pointer press (a click on the page's
 * background is the person's choice). Runs after Mantine's own placing and
 * return of focus (0 and 10 ms) and a new page's heading (useRouteFocus), which
 * all win.
 *
 * An open layer — a modal dialog, a menu, a popover — keeps the focus, even after
 * a pointer press: it goes back to the last element that had it inside the layer,
 * else to the layer's first control. A confirmation closed inside a dialog
 * returns the focus to the menu item that opened it, which is gone; Mantine hides
 * a menu whose button leaves the screen (a narrower window) and draws it again
 * when the button is back, the focus it held fallen to `<body>` meanwhile. On
 * `<body>` neither Esc nor the arrows reach the layer.
 */
export function useFocusRescue(): void {
  useEffect(() => {
    const recent: WeakRef<HTMLElement>[] = [];
    let pointer = false;
    let timer = 0;
    const lost = () => !document.activeElement || document.activeElement === document.body;
    const rescue = () => {
      if (!lost()) return;
      const layer = openLayer();
      if (!layer && pointer) return;
      for (let i = recent.length - 1; i >= 0; i--) {
        const el = recent[i]!.deref();
        // A select's field opens its list when focused: given back the focus, it would cover the dialog (the
        // invite form's group picker over the member list once its submit button went busy). The composer, a
        // combobox whose list opens only as one types, has no `aria-haspopup` and is given the focus back.
        if (!el || !usable(el) || (layer && !layer.contains(el)) || el.matches("[aria-haspopup='listbox']")) continue;
        el.focus();
        if (!lost()) return;
      }
      layer?.querySelector<HTMLElement>(FIRST)?.focus();
      if (lost()) layer?.focus();
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
    // A layer hidden by a narrower window comes back with a wider one, without a change to the page's tree.
    window.addEventListener("resize", later);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      window.clearTimeout(timer);
      observer.disconnect();
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("focusout", onFocusOut);
      document.removeEventListener("pointerdown", onPointer, true);
      document.removeEventListener("keydown", onKey, true);
      window.removeEventListener("resize", later);
    };
  }, []);
}

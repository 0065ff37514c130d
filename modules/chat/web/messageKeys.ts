import type { KeyboardEvent } from "react";

const MESSAGE = "article[data-testid='message']";

/** The messages drawn in a list, in reading order (the list is virtual: only those near the view). */
const messagesIn = (list: Element) => [...list.querySelectorAll<HTMLElement>(MESSAGE)];

/** Puts the focus on a message of the room's timeline (after its thread closes); false when it is not drawn. */
export function focusMessage(id: string): boolean {
  const el = document.querySelector<HTMLElement>(`.chat-room ${MESSAGE}[data-message-id="${CSS.escape(id)}"]`);
  el?.focus();
  return !!el;
}

/**
 * After a jump to a message (a search result, a pinned message, a permalink) the focus goes to it, so that a
 * keyboard or screen-reader user lands where the page shows (WCAG 2.4.3) — unless they are typing in a field
 * of the page. The row is drawn by the virtual list once scrolled to: tried for a few frames.
 */
export function focusJumpedTo(id: string, frames = 10): void {
  const a = document.activeElement;
  if (a && a.matches("input, textarea, [contenteditable='true']") && !a.closest("[role='dialog']")) return;
  if (focusMessage(id) || frames <= 0) return;
  requestAnimationFrame(() => focusJumpedTo(id, frames - 1));
}

/**
 * The message list's keys (the pattern of Slack's and Element's accessible
 * lists): from the list or a message, ↑/↓ move between messages, Home/End go
 * to the first/last one drawn, and on a message Shift+F10 (or the context-menu
 * key) opens its « More actions » menu. Keys inside a message's controls and
 * fields are theirs.
 */
export function onMessageListKey(e: KeyboardEvent<HTMLElement>): void {
  const target = e.target as HTMLElement;
  const onMessage = target.matches(MESSAGE);
  if (!onMessage && !target.matches("[role='log']")) return;
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  if (onMessage && (e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey))) {
    e.preventDefault();
    target.querySelector<HTMLElement>("[data-action='more']")?.click();
    return;
  }
  const all = messagesIn(e.currentTarget);
  if (!all.length) return;
  const at = onMessage ? all.indexOf(target) : -1;
  let next: HTMLElement | undefined;
  if (e.key === "ArrowDown") next = at < 0 ? all[0] : all[at + 1];
  else if (e.key === "ArrowUp") next = at < 0 ? all.at(-1) : all[Math.max(0, at - 1)];
  else if (e.key === "Home") next = all[0];
  else if (e.key === "End") next = all.at(-1);
  else return;
  e.preventDefault();
  next?.focus();
}

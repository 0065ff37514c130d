import type { KeyboardEvent } from "react";

/**
 * Arrow keys in the emoji picker's grid (one Tab stop instead of one per
 * emoji): ←/→ the previous/next emoji, ↑/↓ the nearest one in the row
 * above/below (rows wrap with the panel's width), Home/End the first/last.
 */
export function onEmojiGridKey(e: KeyboardEvent<HTMLElement>): void {
  const buttons = [...e.currentTarget.querySelectorAll<HTMLElement>(".chat-emoji-button")];
  const at = buttons.indexOf(e.target as HTMLElement);
  if (at < 0) return;
  let next: HTMLElement | undefined;
  if (e.key === "ArrowRight") next = buttons[at + 1];
  else if (e.key === "ArrowLeft") next = buttons[at - 1];
  else if (e.key === "Home") next = buttons[0];
  else if (e.key === "End") next = buttons.at(-1);
  else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    const here = buttons[at]!.getBoundingClientRect();
    const down = e.key === "ArrowDown";
    const rows = buttons
      .map((b) => ({ b, r: b.getBoundingClientRect() }))
      .filter(({ r }) => (down ? r.top > here.top + 1 : r.top < here.top - 1));
    const rowTop = down ? Math.min(...rows.map(({ r }) => r.top)) : Math.max(...rows.map(({ r }) => r.top));
    next = rows
      .filter(({ r }) => Math.abs(r.top - rowTop) < 1)
      .sort((a, b) => Math.abs(a.r.left - here.left) - Math.abs(b.r.left - here.left))[0]?.b;
  } else return;
  e.preventDefault();
  if (!next) return;
  // Roving tabindex: the emoji last reached is the grid's one Tab stop.
  for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
  next.focus();
  next.scrollIntoView({ block: "nearest" });
}

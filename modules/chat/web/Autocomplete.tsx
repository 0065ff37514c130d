import { Paper, UnstyledButton } from "@mantine/core";
import type { Room, RoomMember } from "../shared/schemas.ts";
import { findEmoji } from "./emoji.ts";
import { customEmoji } from "./emoji/custom-emoji.tsx";

export interface Suggestion {
  key: string;
  /** Replaces the typed token. */
  insert: string;
  label: string;
  hint?: string;
  /** A custom emoji's picture, shown before the label. */
  image?: string;
}

/** The token being typed just before the caret: `@na`, `#pro`, `:smi`. */
export function tokenAt(text: string, caret: number): { sigil: "@" | "#" | ":"; query: string; start: number } | null {
  const m = /(^|[\s(])([@#:])([\w.+-]*)$/.exec(text.slice(0, caret));
  if (!m) return null;
  const sigil = m[2] as "@" | "#" | ":";
  if (sigil === ":" && m[3]!.length < 2) return null;
  return { sigil, query: m[3]!.toLowerCase(), start: caret - m[3]!.length - 1 };
}

export function suggestions(
  tok: ReturnType<typeof tokenAt>,
  members: RoomMember[],
  rooms: Room[],
  meId: string,
): Suggestion[] {
  if (!tok) return [];
  const q = tok.query;
  if (tok.sigil === "@") {
    const people = members
      .filter(
        (m) =>
          m.user.id !== meId &&
          (m.user.username.toLowerCase().startsWith(q) || m.user.displayName.toLowerCase().includes(q)),
      )
      .slice(0, 6)
      .map((m) => ({
        key: m.user.id,
        insert: `@${m.user.username} `,
        label: m.user.displayName,
        hint: `@${m.user.username}`,
      }));
    const special = ["here", "channel", "all"]
      .filter((s) => s.startsWith(q))
      .map((s) => ({ key: s, insert: `@${s} `, label: `@${s}` }));
    return [...people, ...special].slice(0, 8);
  }
  if (tok.sigil === "#") {
    return rooms
      .filter((r) => r.type !== "dm" && r.slug && (r.slug.startsWith(q) || r.name.toLowerCase().includes(q)))
      .slice(0, 8)
      .map((r) => ({ key: r.id, insert: `#${r.slug} `, label: `#${r.slug}`, hint: r.name }));
  }
  const bundled = findEmoji(q).map(([name, ch]) => ({ key: name, insert: `:${name}: `, label: `${ch} :${name}:` }));
  const custom = customEmoji
    .all()
    .filter((e) => e.name.startsWith(q))
    .slice(0, 4)
    .map((e) => ({ key: `custom:${e.name}`, insert: `:${e.name}: `, label: `:${e.name}:`, image: e.url }));
  return [...custom, ...bundled].slice(0, 8);
}

/** The suggestion list under the composer (an ARIA listbox driven by the textarea's arrows). */
export function SuggestionList({
  id,
  items,
  active,
  onPick,
}: {
  id: string;
  items: Suggestion[];
  active: number;
  onPick: (s: Suggestion) => void;
}) {
  if (!items.length) return null;
  return (
    <Paper withBorder shadow="sm" className="chat-suggestions" role="listbox" id={id} data-testid="suggestions">
      {items.map((s, i) => (
        <UnstyledButton
          key={s.key}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? "chat-suggestion chat-suggestion-active" : "chat-suggestion"}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(s);
          }}
          tabIndex={-1}
        >
          {s.image && <img src={s.image} alt="" className="chat-custom-emoji chat-custom-emoji-inline" />} {s.label}
          {s.hint && <span className="chat-suggestion-hint"> {s.hint}</span>}
        </UnstyledButton>
      ))}
    </Paper>
  );
}

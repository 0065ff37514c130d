import { z } from "zod";
import { AppError } from "@ensemble/kernel";
import { boardRoles } from "../shared/capabilities.ts";
import { labelColors } from "../shared/schemas.ts";

/**
 * A board read from an export (Trello, Wekan, our own), before anything is
 * written: every format maps to this, then one transaction creates it whole.
 * Keys are the source's ids, only used to link cards to their list,
 * swimlane, labels and comments. Arrays are in the source's order.
 */
export interface ImportedBoard {
  title: string;
  description: string;
  labels: { key: string; name: string; color: (typeof labelColors)[number] }[];
  swimlanes: { key: string; title: string }[];
  lists: { key: string; title: string; wipLimit: number | null; wipMode: "soft" | "hard" }[];
  cards: {
    key: string;
    list: string;
    /** Null: the board's first swimlane. */
    swimlane: string | null;
    title: string;
    description: string;
    labels: string[];
    /** Usernames or e-mail addresses, mapped to people of the organisation the importer may see. */
    assignees: string[];
    dueAt: string | null;
    done: boolean;
    archived: boolean;
  }[];
  comments: { card: string; author: string | null; text: string }[];
  members: { login: string; role: (typeof boardRoles)[number] }[];
  /** What the export holds that this import leaves out, counted for the report. */
  skipped: { checklists: number; attachments: number; closedLists: number };
}

/** Plain text only: a title or name with markup is refused (it would be shown as text, but someone meant it as HTML). */
const markup = /<\s*\/?\s*[a-z!?]|javascript:/i;

/**
 * The import's own checks, after the format's schema: text without markup,
 * every card on a list of the board. Refuses with every problem found, so
 * nothing is created from a half-valid export.
 */
export function checkImported(b: ImportedBoard): void {
  const errors: { path: string; message: string }[] = [];
  const plain = (path: string, text: string) => {
    if (markup.test(text)) errors.push({ path, message: "markup is not allowed in a title or name" });
  };
  plain("title", b.title);
  b.labels.forEach((l, i) => plain(`labels.${i}.name`, l.name));
  b.swimlanes.forEach((s, i) => plain(`swimlanes.${i}.title`, s.title));
  b.lists.forEach((l, i) => plain(`lists.${i}.title`, l.title));
  const lists = new Set(b.lists.map((l) => l.key));
  const lanes = new Set(b.swimlanes.map((s) => s.key));
  b.cards.forEach((c, i) => {
    plain(`cards.${i}.title`, c.title);
    if (!lists.has(c.list)) errors.push({ path: `cards.${i}.list`, message: "the card's list is not on the board" });
    if (c.swimlane !== null && !lanes.has(c.swimlane))
      errors.push({ path: `cards.${i}.swimlane`, message: "the card's swimlane is not on the board" });
  });
  if (errors.length)
    throw new AppError("boards_import_invalid", `the export cannot be imported: ${errors.length} problem(s)`, {
      errors: errors.slice(0, 50),
    });
}

/** Limits every format shares: a board this size imports in one transaction. */
export const importLimits = { lists: 500, swimlanes: 100, labels: 200, cards: 20_000, comments: 50_000 } as const;

export const importText = (max: number) => z.string().max(max);
/** A title as our boards keep it: trimmed, 1–200 characters (an empty one becomes « — »). */
export const importTitle = z
  .string()
  .max(2_000)
  .transform((s) => s.trim().slice(0, 200) || "—");

/** A label colour of another product mapped to ours (unknown and missing ones are grey). */
export function labelColor(c: string | null | undefined): (typeof labelColors)[number] {
  const known: Record<string, (typeof labelColors)[number]> = {
    green: "green",
    lime: "green",
    yellow: "yellow",
    gold: "yellow",
    orange: "orange",
    red: "red",
    crimson: "red",
    purple: "purple",
    violet: "purple",
    pink: "purple",
    magenta: "purple",
    blue: "blue",
    navy: "blue",
    sky: "sky",
    aqua: "sky",
    teal: "sky",
  };
  return (c && known[c.replace(/_.*$/, "")]) || "grey";
}

import { AppError } from "@ensemble/kernel";

/** One condition of an If header list: a state token or an entity tag, maybe negated. */
export interface IfCondition {
  not: boolean;
  token?: string;
  etag?: string;
}

/** A list of conditions, all of which must hold, about the request's resource or a tagged one. */
export interface IfList {
  tag: string | null;
  conditions: IfCondition[];
}

/**
 * Parses the WebDAV If header (RFC 4918 §10.4): tagged or untagged lists of conditions.
 * Anything that does not follow the grammar is a 400, never read as "no condition".
 */
export function parseIfHeader(header: string): IfList[] {
  const lists: IfList[] = [];
  let i = 0;
  let tag: string | null = null;
  const bad = (): never => {
    throw new AppError("validation", "the If header is not valid");
  };
  const skip = () => {
    while (i < header.length && /\s/.test(header[i]!)) i++;
  };
  const until = (close: string): string => {
    const end = header.indexOf(close, i);
    if (end < 0) bad();
    const s = header.slice(i, end);
    i = end + 1;
    return s;
  };
  for (skip(); i < header.length; skip()) {
    const c = header[i];
    if (c === "<") {
      i++;
      tag = until(">");
      continue;
    }
    if (c !== "(") bad();
    i++;
    const conditions: IfCondition[] = [];
    for (skip(); header[i] !== ")"; skip()) {
      if (i >= header.length) bad();
      let not = false;
      if (header.slice(i, i + 3).toLowerCase() === "not") {
        not = true;
        i += 3;
        skip();
      }
      if (header[i] === "<") {
        i++;
        conditions.push({ not, token: until(">") });
      } else if (header[i] === "[") {
        i++;
        conditions.push({ not, etag: until("]") });
      } else bad();
    }
    i++;
    if (conditions.length === 0) bad();
    lists.push({ tag, conditions });
  }
  if (lists.length === 0) bad();
  return lists;
}

/** Every state token named anywhere in the header: the lock tokens the client submits. */
export const submittedTokens = (lists: readonly IfList[]): Set<string> =>
  new Set(lists.flatMap((l) => l.conditions.flatMap((c) => (c.token ? [c.token] : []))));

/** What a condition is checked against: the resource's current entity tag and the lock tokens covering it. */
export interface IfSubject {
  etag: string | null;
  tokens: ReadonlySet<string>;
}

/** The header holds when one of its lists holds; a list holds when each of its conditions does. */
export async function evaluateIf(
  lists: readonly IfList[],
  subject: (tag: string | null) => Promise<IfSubject | null>,
): Promise<boolean> {
  for (const list of lists) {
    const s = await subject(list.tag);
    const holds = list.conditions.every((c) => {
      const match = c.token !== undefined ? s !== null && s.tokens.has(c.token) : s !== null && s.etag === c.etag;
      return c.not ? !match : match;
    });
    if (holds) return true;
  }
  return false;
}

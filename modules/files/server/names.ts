import { AppError } from "@ensemble/kernel";
import { MAX_DEPTH, MAX_NAME_BYTES } from "../shared/resources.ts";

// Control characters (C0, DEL, C1) and the separators of every file system our clients sync to.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f/\\]/;

/**
 * Why a name is refused, or null when it is a valid file or folder name. Names are stored as given
 * (NFC-normalised by the caller when it comes from a URL) and never reach a file system path: the
 * bytes live under blob keys the server chooses. The rules keep a name portable and unambiguous.
 */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return "a name cannot be empty";
  if (name === "." || name === "..") return `"${name}" is not a name`;
  if (FORBIDDEN.test(name)) return "a name cannot hold a slash, a backslash or a control character";
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return `a name is at most ${MAX_NAME_BYTES} bytes`;
  if (name.trim() !== name) return "a name cannot start or end with a space";
  // A name that still decodes to something else was encoded more than once: refused so that no
  // layer (a proxy, a client) ever reads it as "..", a separator or a control character.
  const decoded = decodeAll(name);
  if (decoded !== name && (decoded === null || decoded === "." || decoded === ".." || FORBIDDEN.test(decoded)))
    return "a name cannot hide a path or a control character under percent-encoding";
  return null;
}

/** Percent-decodes until stable (at most 4 rounds); null when a round is not valid UTF-8. */
function decodeAll(s: string): string | null {
  let cur = s;
  for (let i = 0; i < 4 && cur.includes("%"); i++) {
    try {
      const next = decodeURIComponent(cur);
      if (next === cur) break;
      cur = next;
    } catch {
      return cur === s ? s : null;
    }
  }
  return cur;
}

export function checkName(name: string): string {
  const why = nameProblem(name);
  if (why) throw new AppError("files_name_invalid", why);
  return name.normalize("NFC");
}

/**
 * Splits the percent-encoded tail of a URL (what follows a space's root) into names. Every segment
 * is decoded once and checked: an empty segment (`//`), `.`, `..`, a separator or control character
 * in any encoding, invalid UTF-8 (overlong forms such as `%c0%ae`) are refused, never resolved.
 * A trailing slash is allowed (collections).
 */
export function parsePath(encoded: string): string[] {
  const trimmed = encoded.endsWith("/") ? encoded.slice(0, -1) : encoded;
  if (trimmed === "") return [];
  const raw = trimmed.split("/");
  if (raw.length > MAX_DEPTH) throw new AppError("files_path_invalid", `a path is at most ${MAX_DEPTH} levels deep`);
  return raw.map((seg) => {
    let name: string;
    try {
      name = decodeURIComponent(seg);
    } catch {
      throw new AppError("files_path_invalid", "the path is not valid UTF-8 percent-encoding");
    }
    const why = nameProblem(name);
    if (why) throw new AppError("files_path_invalid", why);
    return name.normalize("NFC");
  });
}

/** Encodes names back into a URL path (each segment percent-encoded). */
export const encodePath = (names: readonly string[]): string => names.map((n) => encodeURIComponent(n)).join("/");

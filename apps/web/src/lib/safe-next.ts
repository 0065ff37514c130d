/**
 * Only same-site paths are followed after sign-in (no open redirect). A
 * backslash or a control character is refused outright: browsers read `/\host`
 * as `//host`, and the router throws on such a path instead of ignoring it.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return "/";
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  return next;
}

import type { ReactNode } from "react";

const KEYWORDS = new Set(
  "const let var function return if else for while do switch case break continue new class extends import export from default async await try catch finally throw typeof instanceof in of null undefined true false this def self None True False elif lambda pass with as yield select insert update delete where join create table into values and or not is public private static void int string bool fn pub use struct impl match mut echo then fi".split(
    " ",
  ),
);
const TOKEN =
  /(\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|--[^\n]*)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|(\b\d[\d_.]*\b)|(\b[A-Za-z_$][\w$]*\b)/g;

/** Light, language-agnostic highlighting: comments, strings, numbers, common keywords. */
export function highlight(code: string, lang: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let k = 0;
  const hashComments = /^(py|python|sh|bash|shell|yaml|yml|rb|ruby|toml|conf)$/i.test(lang);
  for (const m of code.matchAll(TOKEN)) {
    const s = m[0];
    if (m[1] && s.startsWith("#") && !hashComments) continue;
    if (m.index > last) out.push(code.slice(last, m.index));
    const cls = m[1]
      ? "tok-comment"
      : m[2]
        ? "tok-string"
        : m[3]
          ? "tok-number"
          : KEYWORDS.has(s)
            ? "tok-keyword"
            : null;
    out.push(
      cls ? (
        <span key={k++} className={cls}>
          {s}
        </span>
      ) : (
        s
      ),
    );
    last = m.index + s.length;
  }
  if (last < code.length) out.push(code.slice(last));
  return out;
}

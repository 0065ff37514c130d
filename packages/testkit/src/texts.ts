/** A tree of UI texts, as in an i18next resource file. */
export type TextTree = { [k: string]: string | TextTree };

/** Every text of a tree by its dotted key (`share.links.copy`), for the suites that compare languages. */
export function flattenTexts(tree: TextTree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flattenTexts(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

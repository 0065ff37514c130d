import { useEffect, useState } from "react";
import { useWebHost } from "@ensemble/ui";
import type { FolderListing } from "@ensemble/files/shared";

/**
 * The Partageons file behind a co-edited page: its name without the
 * extension once it is known to be of the right kind, or the text of the
 * problem (not that kind; missing or out of reach).
 */
export function useCoeditedFile(
  id: string,
  kind: { extension: string; matches: (name: string) => boolean },
  problems: { wrongKind: string; notFound: string },
): { name: string | null; problem: string | null } {
  const host = useWebHost();
  const [name, setName] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { extension, matches } = kind;
  const { wrongKind, notFound } = problems;
  useEffect(() => {
    let live = true;
    host
      .api<FolderListing>("GET", `/api/files/nodes/${id}`)
      .then((l) => {
        if (!live) return;
        if (l.folder.kind !== "file" || !matches(l.folder.name)) setProblem(wrongKind);
        else setName(l.folder.name.slice(0, -extension.length));
      })
      .catch(() => live && setProblem(notFound));
    return () => {
      live = false;
    };
  }, [host, id, extension, matches, wrongKind, notFound]);
  return { name, problem };
}

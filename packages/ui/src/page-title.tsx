import { createContext, useContext, useEffect, type ReactNode } from "react";

/** Sets the most specific part of the page title (a room, a board, a person), or clears it with `undefined`. */
type SetPart = (part: string | undefined) => void;

const PageTitleContext = createContext<SetPart | null>(null);

/** Given by the shell around every route: it composes « part — section — organisation ». */
export function PageTitleProvider({ setPart, children }: { setPart: SetPart; children: ReactNode }) {
  return <PageTitleContext.Provider value={setPart}>{children}</PageTitleContext.Provider>;
}

/**
 * Names what the page shows in the document title (« #projet-tramway »): the
 * shell adds the service and the organisation, announces the change and moves
 * the focus to the page's heading (the element marked `data-page-heading`, else
 * its first `h1`). A page that calls nothing keeps its service's name.
 */
export function usePageTitle(part: string | undefined): void {
  const setPart = useContext(PageTitleContext);
  useEffect(() => {
    if (!setPart) return;
    setPart(part);
    return () => setPart(undefined);
  }, [setPart, part]);
}

// The subpath, not the package index: web manifests import this at start, and the index brings zod.
import { defineProblemCodes } from "@ensemble/protocol/problem";

/** Co-editing's problem codes and their HTTP status; the web translates each (`problems.<code>`). */
export const docsProblemCodes = defineProblemCodes({
  docs_not_a_document: 400,
  docs_bad_anchor: 400,
});

type DocsProblemCodes = typeof docsProblemCodes;

declare module "@ensemble/protocol" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ProblemCodes extends DocsProblemCodes {}
}

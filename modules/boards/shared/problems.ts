// The subpath, not the package index: web manifests import this at start, and the index brings zod.
import { defineProblemCodes } from "@ensemble/protocol/problem";

/** The boards' problem codes and their HTTP status; the web translates each (`problems.<code>` in its manifest's texts). */
export const boardsProblemCodes = defineProblemCodes({
  boards_wip_limit: 409,
  /** An import file that does not follow its format, or names markup as a title: nothing is created. */
  boards_import_invalid: 400,
});

type BoardsProblemCodes = typeof boardsProblemCodes;

declare module "@ensemble/protocol" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ProblemCodes extends BoardsProblemCodes {}
}

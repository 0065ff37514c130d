// The subpath, not the package index: web manifests import this at start, and the index brings zod.
import { defineProblemCodes } from "@ensemble/protocol/problem";

/** The chat's problem codes and their HTTP status; the web translates each (`problems.<code>` in its manifest's texts). */
export const chatProblemCodes = defineProblemCodes({
  mention_confirmation_required: 409,
  chat_muted: 403,
  emoji_name_invalid: 400,
  emoji_name_taken: 409,
  emoji_too_large: 413,
  emoji_unsupported_type: 415,
  emoji_unknown: 400,
});

type ChatProblemCodes = typeof chatProblemCodes;

declare module "@ensemble/protocol" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ProblemCodes extends ChatProblemCodes {}
}

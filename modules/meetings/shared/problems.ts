// The subpath, not the package index: web manifests import this at start, and the index brings zod.
import { defineProblemCodes } from "@ensemble/protocol/problem";

/** The meetings' problem codes and their HTTP status; the web translates each (`problems.<code>` in its manifest's texts). */
export const meetingsProblemCodes = defineProblemCodes({
  meeting_ended: 410,
  meeting_locked: 403,
  meeting_password_required: 403,
  meeting_password_invalid: 403,
  meeting_media_unencrypted: 400,
});

type MeetingsProblemCodes = typeof meetingsProblemCodes;

declare module "@ensemble/protocol" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ProblemCodes extends MeetingsProblemCodes {}
}

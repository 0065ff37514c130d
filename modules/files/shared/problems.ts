// The subpath, not the package index: web manifests import this at start, and the index brings zod.
import { defineProblemCodes } from "@ensemble/protocol/problem";

/** Partageons' problem codes and their HTTP status; the web translates each (`problems.<code>` in its manifest's texts). */
export const filesProblemCodes = defineProblemCodes({
  files_name_invalid: 400,
  files_path_invalid: 400,
  files_name_taken: 409,
  files_parent_missing: 409,
  files_quota_exceeded: 507,
  files_checksum_mismatch: 400,
  files_locked: 423,
  files_precondition_failed: 412,
  files_depth_refused: 403,
  files_link_expired: 410,
  files_link_password_required: 401,
  files_link_password_wrong: 403,
});

type FilesProblemCodes = typeof filesProblemCodes;

declare module "@ensemble/protocol" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ProblemCodes extends FilesProblemCodes {}
}

import { hasScope, resourceKind, type Kernel, type UserActor } from "@ensemble/kernel";
import { FilesResourceTypes, filesNodeActions, type FilesNodeSummary } from "@ensemble/files/shared";
import { isDocumentName } from "../shared/documents.ts";
import { isSheetName } from "../shared/sheets/sheet-file.ts";

/** Partageons' file kind, named by its shared contract: its module declares the rules and the loader. */
const FilesNode = resourceKind<FilesNodeSummary>()(FilesResourceTypes.node, filesNodeActions);

export type DocumentAccess = "write" | "read" | null;

/**
 * What a person may do with a document: the files module's rules on the file
 * (owner, group member, and whatever else it grants), and a token without the
 * `write` scope only reads. Null when the file is not a document (text or
 * spreadsheet: both are Yjs documents on the same server) or is out of reach.
 */
export async function documentAccess(
  k: Kernel,
  actor: UserActor,
  docId: string,
  /** Which files count (the history and comments serve text documents only). */
  accepts: (name: string) => boolean = (name) => isDocumentName(name) || isSheetName(name),
): Promise<DocumentAccess> {
  const file = await k.policy.load(actor, FilesNode, docId);
  if (!file || file.kind !== "file" || !accepts(file.name)) return null;
  if (!(await k.policy.can(actor, FilesNode, "read", file))) return null;
  return (await k.policy.can(actor, FilesNode, "write", file)) && hasScope(actor, "write") ? "write" : "read";
}

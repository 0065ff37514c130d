import type { WebHost } from "@ensemble/ui";
import type { ShareLevel } from "../shared/share-levels.ts";
import type { CreatedLink, FileLink, FileShare, SharedByMe } from "../shared/wire.ts";

/** The sharing calls of the web UI (the dialog and « Partagés par moi »), through the shell's API caller. */
export function shareApi(host: WebHost) {
  return {
    shares: (nodeId: string) => host.api<{ shares: FileShare[] }>("GET", `/api/files/nodes/${nodeId}/shares`),
    share: (nodeId: string, recipient: { kind: "user" | "group"; id: string }, permission: ShareLevel) =>
      host.api<FileShare>("POST", `/api/files/nodes/${nodeId}/shares`, { recipient, permission }),
    setLevel: (shareId: string, permission: ShareLevel) =>
      host.api<FileShare>("PATCH", `/api/files/shares/${shareId}`, { permission }),
    revokeShare: (shareId: string) => host.api<void>("DELETE", `/api/files/shares/${shareId}`),
    links: (nodeId: string) => host.api<{ links: FileLink[] }>("GET", `/api/files/nodes/${nodeId}/links`),
    createLink: (
      nodeId: string,
      body: { kind: "read" | "upload"; password: string | null; expiresAt: string | null },
    ) => host.api<CreatedLink>("POST", `/api/files/nodes/${nodeId}/links`, body),
    revokeLink: (linkId: string) => host.api<void>("DELETE", `/api/files/links/${linkId}`),
    sharedByMe: () => host.api<SharedByMe>("GET", "/api/files/shared-by-me"),
  };
}

export const shareKeys = {
  shares: (nodeId: string) => ["files", "shares", nodeId] as const,
  links: (nodeId: string) => ["files", "links", nodeId] as const,
  byMe: ["files", "shared-by-me"] as const,
};

import { defineEvent, type PayloadsOf } from "@ensemble/kernel";
import { filesEventSchemas as s } from "../shared/wire.ts";

/** Every event the files service records (payload schemas in shared/wire.ts). */
export const filesEvents = {
  nodeCreated: defineEvent("files.node.created", s["files.node.created"], 1),
  nodeUpdated: defineEvent("files.node.updated", s["files.node.updated"], 1),
  nodeMoved: defineEvent("files.node.moved", s["files.node.moved"], 1),
  nodeTrashed: defineEvent("files.node.trashed", s["files.node.trashed"], 1),
  nodeRestored: defineEvent("files.node.restored", s["files.node.restored"], 1),
  nodePurged: defineEvent("files.node.purged", s["files.node.purged"], 1),
  spaceCreated: defineEvent("files.space.created", s["files.space.created"], 1),
  shareCreated: defineEvent("files.share.created", s["files.share.created"], 1),
  shareUpdated: defineEvent("files.share.updated", s["files.share.updated"], 1),
  shareRevoked: defineEvent("files.share.revoked", s["files.share.revoked"], 1),
  linkCreated: defineEvent("files.link.created", s["files.link.created"], 1),
  linkRevoked: defineEvent("files.link.revoked", s["files.link.revoked"], 1),
  linkDownloaded: defineEvent("files.link.downloaded", s["files.link.downloaded"], 1),
};

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof filesEvents> {}
}

/**
 * The close codes of the co-editing socket at `/collab`, beside the kernel's
 * (4001 unauthenticated, 4003 session ended, 4004 two-factor, 4012 node
 * shutting down, from `@ensemble/protocol`) and Hocuspocus's own (4205 reset,
 * 4408 timeout). `retry`: reconnecting can help.
 */
export const DocsCloseCodes = {
  /** The person may no longer read a document open on this socket (removed from the group, file trashed or moved away). */
  accessRevoked: { code: 4403, reason: "access revoked", retry: false },
  /** The stored document could not be read: nothing is served rather than an empty document. */
  loadFailed: { code: 4503, reason: "document unavailable", retry: true },
  /** Updates this socket sent could not be logged: they are not acknowledged, and the provider's reconnection resends what the server lacks. */
  storeFailed: { code: 4504, reason: "changes not stored", retry: true },
} as const;

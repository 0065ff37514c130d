/**
 * Every WebSocket close code the realtime gateway uses, in one place.
 * 4000–4999 are application codes (RFC 6455 §7.4.2). `retry` tells the client
 * whether reconnecting can help.
 */
export const CloseCodes = {
  /** Normal closure, by either side. */
  normal: { code: 1000, reason: "bye", retry: false },
  /** No valid session cookie or token on the upgrade request. */
  unauthenticated: { code: 4001, reason: "unauthenticated", retry: false },
  /** The session was ended (signed out, revoked, password changed or reset) or the account deactivated. */
  sessionEnded: { code: 4003, reason: "session ended", retry: false },
  /** The organisation requires two-factor authentication and this session's user has not enrolled yet. */
  twoFactorRequired: { code: 4004, reason: "two-factor enrolment required", retry: false },
  /** A message that is not valid JSON or not in the protocol. */
  protocolError: { code: 4002, reason: "protocol error", retry: false },
  /** Too many client messages per second on this connection. */
  rateLimited: { code: 4008, reason: "rate limited", retry: true },
  /** The client read too slowly: its send buffer passed the limit. */
  slowConsumer: { code: 4009, reason: "slow consumer", retry: true },
  /** No heartbeat answer in time. */
  heartbeatTimeout: { code: 4010, reason: "heartbeat timeout", retry: true },
  /** The client speaks a protocol version this server does not. */
  unsupportedVersion: { code: 4011, reason: "unsupported protocol version", retry: false },
  /** The node is shutting down: reconnect (the load balancer sends you to another node). */
  goingAway: { code: 4012, reason: "reconnect", retry: true },
} as const;

export type CloseCodeName = keyof typeof CloseCodes;

export const shouldReconnect = (code: number): boolean => {
  for (const c of Object.values(CloseCodes)) if (c.code === code) return c.retry;
  // Network drops (1006), server restarts (1001, 1012) and unknown codes: try again.
  return true;
};

import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { signValue, verifySignature, type ServerKeys } from "../server-keys.ts";

/**
 * Someone without an account whom a module let in for one purpose (a guest
 * who came to a meeting by its link). They hold a visitor pass: a signed,
 * time-limited statement of who they are (a fresh id and the name they gave)
 * and what it is for (`audience`, e.g. `meetings:<id>`). It opens the realtime
 * gateway only; what they may subscribe to or send is decided by the topic
 * owner (`authorizeVisitor`), everything else refuses them.
 */
export interface VisitorActor {
  kind: "visitor";
  id: string;
  name: string;
  audience: string;
  /** ISO time after which the pass no longer authenticates (the gateway closes the socket). */
  expiresAt: string;
}

const claimsSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(100),
  aud: z.string().min(1).max(200),
  exp: z.number().int(),
});

const PURPOSE = "realtime.visitor_pass";

/** `k.visitors`: issues and checks visitor passes, signed with a server key every node shares. */
export class VisitorPasses {
  private readonly keys: ServerKeys;
  constructor(keys: ServerKeys) {
    this.keys = keys;
  }

  async issue(opts: { audience: string; name: string; ttlSeconds: number }): Promise<{
    token: string;
    visitor: VisitorActor;
  }> {
    const exp = Math.floor(Date.now() / 1000) + opts.ttlSeconds;
    const claims = { id: uuidv7(), name: opts.name, aud: opts.audience, exp };
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    const sig = signValue(await this.keys.key(PURPOSE), PURPOSE, body);
    return { token: `${body}.${sig}`, visitor: toActor(claims) };
  }

  /** The visitor a pass names, or null when it is malformed, forged or expired. */
  async verify(token: string): Promise<VisitorActor | null> {
    const [body, sig, extra] = token.split(".");
    if (!body || !sig || extra !== undefined || token.length > 2_000) return null;
    if (!verifySignature(await this.keys.key(PURPOSE), PURPOSE, body, sig)) return null;
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = claimsSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    } catch {
      return null;
    }
    if (claims.exp * 1000 <= Date.now()) return null;
    return toActor(claims);
  }
}

const toActor = (c: z.infer<typeof claimsSchema>): VisitorActor => ({
  kind: "visitor",
  id: c.id,
  name: c.name,
  audience: c.aud,
  expiresAt: new Date(c.exp * 1000).toISOString(),
});

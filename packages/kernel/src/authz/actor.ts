export type Role = "admin" | "member" | "guest";
export type Scope = "read" | "write" | "admin";

export interface UserActor {
  kind: "user";
  id: string;
  username: string;
  role: Role;
  /** null for a browser session (every scope); the token's scopes otherwise. */
  scopes: readonly Scope[] | null;
  sessionId: string | null;
  tokenId: string | null;
}

export type Actor = { kind: "anonymous" } | UserActor;

export const anonymous: Actor = { kind: "anonymous" };

export const isUser = (a: Actor): a is UserActor => a.kind === "user";

export function hasScope(a: Actor, scope: Scope): boolean {
  if (a.kind !== "user") return false;
  if (a.scopes === null) return true;
  if (a.scopes.includes("admin")) return true;
  if (scope === "read") return a.scopes.includes("read") || a.scopes.includes("write");
  return a.scopes.includes(scope);
}

/**
 * Roles mapped to capabilities as data, one engine for every table (the
 * organisation's in the kernel, a room's in chat, a board's later). A grant is
 * `true`, or the name of a setting that grants the capability when it is on
 * (members invite when `membersCanInvite`). Code asks `table.can(role, cap)`
 * and never compares role names. Pure data and functions: the server's policy
 * and a module's shared code read the same table.
 */
export type Grant<S extends string> = true | S;

export type Grants<Role extends string, Cap extends string, S extends string> = Readonly<
  Record<Role, Readonly<Partial<Record<Cap, Grant<S>>>>>
>;

export interface CapabilityTable<Role extends string, Cap extends string, S extends string> {
  readonly grants: Grants<Role, Cap, S>;
  /** Whether the role holds the capability (null: no role at all, nothing is held). */
  can(role: Role | null, capability: Cap, settings?: Partial<Record<S, boolean>>): boolean;
  /** Every capability the role holds with these settings (what `/api/me` reports). */
  held(role: Role | null, settings?: Partial<Record<S, boolean>>): Cap[];
}

export function capabilityTable<Role extends string, Cap extends string, S extends string = never>(
  grants: Grants<Role, Cap, S>,
): CapabilityTable<Role, Cap, S> {
  const can = (role: Role | null, capability: Cap, settings: Partial<Record<S, boolean>> = {}): boolean => {
    if (role === null) return false;
    const grant: Grant<S> | undefined = grants[role]?.[capability];
    if (grant === undefined) return false;
    if (grant === true) return true;
    return settings[grant as S] === true;
  };
  return {
    grants,
    can,
    held: (role, settings = {}) =>
      role === null ? [] : (Object.keys(grants[role] ?? {}) as Cap[]).filter((c) => can(role, c, settings)),
  };
}

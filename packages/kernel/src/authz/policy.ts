import { sql, type Expression, type SqlBool } from "kysely";
import { AppError } from "../errors.ts";
import type { Actor } from "./actor.ts";

/** A kind of resource and the actions on it, declared once per resource type. */
export interface ResourceKind<R, A extends string> {
  readonly type: string;
  readonly actions: readonly A[];
  /** Phantom: carries the record type for inference only. */
  readonly _record?: R;
}

export function resourceKind<R>() {
  return <const A extends string>(type: string, actions: readonly A[]): ResourceKind<R, A> => ({ type, actions });
}

type Rule<R> = (actor: Actor, resource: R) => boolean | Promise<boolean>;

/** How the module owning a kind reads one record as the policy sees it for an actor (undefined: no such row). */
type Loader<R> = (actor: Actor, id: string) => Promise<R | undefined>;

/**
 * A state that withdraws an action the rules would allow (a mute, an archived
 * room): the refusal it answers (a problem with its own code, 403-class), or
 * null when the state does not apply.
 */
type Refusal<R> = (actor: Actor, resource: R) => AppError | null | Promise<AppError | null>;

/** A column of the scoped table under the alias the query gave it (`ref("room_id")` → `m.room_id`). */
export type ScopeRef<R> = <C extends keyof R & string>(column: C) => Expression<R[C]>;

/**
 * The SQL form of a kind's `read` rules for one actor: a condition on the row
 * (through `ref`) that holds exactly when `can(actor, kind, "read", row)` would.
 * Synchronous so a scope is one condition inside the list's one statement.
 */
export type VisibilityRule<R> = (actor: Actor, ref: ScopeRef<R>) => Expression<SqlBool>;

/** A kind's visibility for one actor, applied to a query under a table alias: `.where(scope("r"))`. */
export type RowScope = (alias: string) => Expression<SqlBool>;

/** A condition no row meets (what a scope answers for an actor who sees nothing). */
export const noRows: Expression<SqlBool> = sql<SqlBool>`1 = 0`;
/** A condition every row meets (an actor who sees the whole kind, e.g. a directory browser). */
export const allRows: Expression<SqlBool> = sql<SqlBool>`1 = 1`;

/** Rows whose owner column is the actor (their sessions, tokens, notifications); none for the anonymous. */
export const ownedBy = (actor: Actor, column: Expression<string>): Expression<SqlBool> =>
  actor.kind === "user" ? sql<SqlBool>`${column} = ${actor.id}` : noRows;

/**
 * The one policy layer. Deny by default: an action without a rule is refused.
 * Every kind must have a `read` rule; `authorize` answers 404 when the actor
 * may not read the resource, so its existence does not leak.
 */
export class Policy {
  private readonly rules = new Map<string, Rule<unknown>[]>();
  private readonly refusals = new Map<string, Refusal<unknown>[]>();
  private readonly orgKinds: ResourceKind<unknown, string>[] = [];
  private readonly visibilities = new Map<string, VisibilityRule<unknown>[]>();
  private readonly loaders = new Map<string, Loader<unknown>>();

  /** Declares an organisation-level kind (see `orgResource`): its allowed actions are reported as capabilities. */
  organisation<R, A extends string>(kind: ResourceKind<R, A>): this {
    this.orgKinds.push(kind as ResourceKind<unknown, string>);
    return this;
  }

  /**
   * What the actor may do in the organisation, across every declared
   * organisation kind, as `<type>.<action>` (`org.administer`,
   * `chat.create_channel`): `/api/me` carries it so the web never compares roles.
   */
  async capabilities<R>(actor: Actor, org: R): Promise<string[]> {
    const out: string[] = [];
    for (const kind of this.orgKinds)
      for (const action of await this.allowedActions(actor, kind, org))
        if (action !== "read") out.push(`${kind.type}.${action}`);
    return out;
  }

  allow<R, A extends string>(kind: ResourceKind<R, A>, action: A | readonly A[], rule: Rule<R>): this {
    for (const a of Array.isArray(action) ? action : [action]) add(this.rules, `${kind.type}:${a as string}`, rule);
    return this;
  }

  /**
   * Withdraws an action whatever the `allow` rules say while a state holds:
   * every path that performs the action (a route, a command, a bot) asks the
   * policy, so the state is decided here once.
   */
  refuse<R, A extends string>(kind: ResourceKind<R, A>, action: A | readonly A[], refusal: Refusal<R>): this {
    for (const a of Array.isArray(action) ? action : [action])
      add(this.refusals, `${kind.type}:${a as string}`, refusal);
    return this;
  }

  /**
   * Declares which rows of a kind an actor may read, as SQL, next to the kind's
   * `read` rules (several declarations are OR'ed, like several `allow` rules).
   * Every list, search and export of the kind filters through `scope`, so a
   * list never shows what `authorize` would answer 404 for.
   */
  visibility<R, A extends string>(kind: ResourceKind<R, A>, rule: VisibilityRule<R>): this {
    add(this.visibilities, kind.type, rule);
    return this;
  }

  /**
   * The rows of `kind` the actor may read, as a where-condition on a table
   * alias: `db.selectFrom("chat_rooms as r").where(policy.scope(Room, actor)("r"))`.
   * A kind without a declared visibility throws (deny by default: a list is
   * never unfiltered by omission).
   */
  scope<R, A extends string>(kind: ResourceKind<R, A>, actor: Actor): RowScope {
    const rules = this.visibilities.get(kind.type);
    if (!rules?.length) throw new Error(`no visibility declared for the resource kind "${kind.type}"`);
    return (alias) => {
      const ref: ScopeRef<R> = (column) => sql.ref(`${alias}.${column}`);
      return sql<SqlBool>`(${sql.join(
        rules.map((rule) => (rule as VisibilityRule<R>)(actor, ref)),
        sql` or `,
      )})`;
    };
  }

  /**
   * Declares how a record of `kind` is read by id, so that another module can
   * authorize it (`load`, then `authorize`) without reading the owner's tables
   * or copying its rules: co-editing asks the files module's rules about a file.
   */
  loader<R, A extends string>(kind: ResourceKind<R, A>, load: Loader<R>): this {
    if (this.loaders.has(kind.type)) throw new Error(`a loader is already declared for "${kind.type}"`);
    this.loaders.set(kind.type, load as Loader<unknown>);
    return this;
  }

  /**
   * The record of `kind` with this id as its owner's rules see it for the
   * actor, or undefined when there is none; pass it to `authorize`. A kind
   * without a declared loader throws (a module asking for a kind that is not
   * installed is a composition error, not a 404).
   */
  async load<R, A extends string>(actor: Actor, kind: ResourceKind<R, A>, id: string): Promise<R | undefined> {
    const load = this.loaders.get(kind.type);
    if (!load) throw new Error(`no loader declared for the resource kind "${kind.type}"`);
    return (await load(actor, id)) as R | undefined;
  }

  private async allowed(actor: Actor, key: string, resource: unknown): Promise<boolean> {
    for (const rule of this.rules.get(key) ?? []) {
      if (await rule(actor, resource)) return true;
    }
    return false;
  }

  private async refusal(actor: Actor, key: string, resource: unknown): Promise<AppError | null> {
    for (const refuse of this.refusals.get(key) ?? []) {
      const e = await refuse(actor, resource);
      if (e) return e;
    }
    return null;
  }

  async can<R, A extends string>(actor: Actor, kind: ResourceKind<R, A>, action: A, resource: R): Promise<boolean> {
    const key = `${kind.type}:${action}`;
    return (await this.allowed(actor, key, resource)) && !(await this.refusal(actor, key, resource));
  }

  /** The actions of `kind` the actor may perform on this resource, in the kind's order (what the web offers). */
  async allowedActions<R, A extends string>(actor: Actor, kind: ResourceKind<R, A>, resource: R): Promise<A[]> {
    const out: A[] = [];
    for (const action of kind.actions) if (await this.can(actor, kind, action, resource)) out.push(action);
    return out;
  }

  async authorize<R, A extends string>(
    actor: Actor,
    kind: ResourceKind<R, A>,
    action: A,
    resource: R | undefined | null,
  ): Promise<R> {
    if (resource === undefined || resource === null) throw new AppError("not_found", `${kind.type} not found`);
    const read = "read" as A;
    if (action !== read && !(await this.can(actor, kind, read, resource))) {
      throw new AppError("not_found", `${kind.type} not found`);
    }
    const key = `${kind.type}:${action}`;
    if (!(await this.allowed(actor, key, resource))) {
      if (action === read) throw new AppError("not_found", `${kind.type} not found`);
      throw new AppError("forbidden", `you may not ${action} this ${kind.type}`);
    }
    const refused = await this.refusal(actor, key, resource);
    if (refused) {
      if (action === read) throw new AppError("not_found", `${kind.type} not found`);
      throw refused;
    }
    return resource;
  }
}

function add<T>(map: Map<string, T[]>, key: string, value: unknown): void {
  const list = map.get(key) ?? [];
  list.push(value as T);
  map.set(key, list);
}

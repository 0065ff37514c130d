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

/**
 * A state that withdraws an action the rules would allow (a mute, an archived
 * room): the refusal it answers (a problem with its own code, 403-class), or
 * null when the state does not apply.
 */
type Refusal<R> = (actor: Actor, resource: R) => AppError | null | Promise<AppError | null>;

/**
 * The one policy layer. Deny by default: an action without a rule is refused.
 * Every kind must have a `read` rule; `authorize` answers 404 when the actor
 * may not read the resource, so its existence does not leak.
 */
export class Policy {
  private readonly rules = new Map<string, Rule<unknown>[]>();
  private readonly refusals = new Map<string, Refusal<unknown>[]>();
  private readonly orgKinds: ResourceKind<unknown, string>[] = [];

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

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
 * The one policy layer. Deny by default: an action without a rule is refused.
 * Every kind must have a `read` rule; `authorize` answers 404 when the actor
 * may not read the resource, so its existence does not leak.
 */
export class Policy {
  private readonly rules = new Map<string, Rule<unknown>[]>();

  allow<R, A extends string>(kind: ResourceKind<R, A>, action: A | readonly A[], rule: Rule<R>): this {
    for (const a of Array.isArray(action) ? action : [action]) {
      const key = `${kind.type}:${a as string}`;
      const list = this.rules.get(key) ?? [];
      list.push(rule as Rule<unknown>);
      this.rules.set(key, list);
    }
    return this;
  }

  async can<R, A extends string>(actor: Actor, kind: ResourceKind<R, A>, action: A, resource: R): Promise<boolean> {
    for (const rule of this.rules.get(`${kind.type}:${action}`) ?? []) {
      if (await rule(actor, resource)) return true;
    }
    return false;
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
    if (!(await this.can(actor, kind, action, resource))) {
      if (action === read) throw new AppError("not_found", `${kind.type} not found`);
      throw new AppError("forbidden", `you may not ${action} this ${kind.type}`);
    }
    return resource;
  }
}

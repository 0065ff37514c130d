import { AppError } from "../errors.ts";
import type { UserActor } from "../authz/actor.ts";

/** An instant meeting started on someone's behalf: what another module needs to point people to it. */
export interface StartedCall {
  meetingId: string;
  /** The meeting's human code (`abc-defg-hij`). */
  code: string;
  title: string;
  /** The meeting page on this origin (`/meetings/<code>`), for links inside the app. */
  path: string;
  /** The same page as an absolute address (PUBLIC_URL), for text read elsewhere. */
  url: string;
}

/** What the meetings service offers the others (a module's `calls`): starting an instant meeting. */
export interface CallProvider {
  /** Starts an instant meeting organised by `actor`, with the meeting service's own rules and events. */
  startInstant(actor: UserActor, title: string): Promise<StartedCall>;
}

/**
 * Calls from other services (a chat room's call button, `/call`): the
 * meetings module provides them, the chat asks for them, and neither imports
 * the other — without a meetings module the kernel says calls are unavailable.
 */
export class Calls {
  private provider: CallProvider | null = null;

  provide(p: CallProvider): void {
    if (this.provider) throw new Error("a second module provides calls");
    this.provider = p;
  }

  /** Whether a module provides calls on this server (the chat offers its call button only then). */
  get available(): boolean {
    return this.provider !== null;
  }

  startInstant(actor: UserActor, title: string): Promise<StartedCall> {
    if (!this.provider) throw new AppError("unavailable", "no meeting service on this server");
    return this.provider.startInstant(actor, title);
  }
}

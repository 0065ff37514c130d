import type { PayloadsOf } from "./define-event.ts";
import type { accountEvents } from "../accounts/account-events.ts";
import type { notificationEvents } from "../notifications/notification-events.ts";
import type { brandingEvents } from "../branding/branding-events.ts";

/** The payloads of the kernel's own events, derived from their definitions. */
export type KernelEventPayloads = PayloadsOf<typeof accountEvents> &
  PayloadsOf<typeof notificationEvents> &
  PayloadsOf<typeof brandingEvents>;

import { brandingSchema } from "@ensemble/protocol/wire/branding";
import { defineEvent } from "../events/define-event.ts";

export const brandingEvents = {
  /** On `org:branding`: open pages re-theme at once. */
  brandingUpdated: defineEvent("accounts.branding.updated", brandingSchema, 1),
};

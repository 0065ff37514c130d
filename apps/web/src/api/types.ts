import type { Self, SignInAnswer as SignInWire } from "@ensemble/protocol/wire/accounts";
import type { Branding as BrandingWire } from "@ensemble/protocol/wire/branding";

/** The shapes the shell reads from the API: inferred from the schemas the server serialises through. */
/**
 * `capabilities`: what the person may do in the organisation (`org.administer`, `chat.create_channel`…), from
 * `GET /api/me`; the web offers what is listed and never compares role names. Absent in answers that carry the user
 * alone (sign-in, profile), which make the shell read `/api/me` again.
 */
export type Me = Self & { capabilities?: string[] };
export type Branding = BrandingWire;
export type SignInAnswer = SignInWire;

import type { MeAnswer, Self, SignInAnswer as SignInWire } from "@ensemble/protocol/wire/accounts";
import type { Branding as BrandingWire } from "@ensemble/protocol/wire/branding";

/** The shapes the shell reads from the API: inferred from the schemas the server serialises through. */
export type Me = Self;
export type Branding = BrandingWire;
export type SignInAnswer = SignInWire;
export type { MeAnswer };

import { z } from "zod";

/** The organisation's public branding: anyone, signed in or not, reads it. */
export const brandingSchema = z.object({
  name: z.string(),
  color: z.string(),
  defaultLocale: z.enum(["fr", "en"]),
  /** Versioned by the stored key: a new logo is a new URL. */
  logoUrl: z.string().nullable(),
});
export type Branding = z.output<typeof brandingSchema>;

import { z } from "zod";

export const searchHitSchema = z.object({
  type: z.string(),
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  url: z.string().nullable(),
  score: z.number(),
  /** The providing module's own fields (room, author …): opaque to the kernel. */
  data: z.record(z.string(), z.unknown()),
});
export type SearchHit = z.output<typeof searchHitSchema>;
export const searchAnswerSchema = z.object({
  query: z.string(),
  items: z.array(searchHitSchema),
  groups: z.array(z.object({ type: z.string(), items: z.array(searchHitSchema) })),
});
export type SearchAnswer = z.output<typeof searchAnswerSchema>;

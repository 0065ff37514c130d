import { z } from "zod";

/** One page of a cursor-paginated list: `next` is opaque, null at the end. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

import { z } from "zod";
import { defineModule } from "../module.ts";
import { route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { parseQuery, type SearchHit } from "./search-provider.ts";
import { peopleProvider } from "./people-provider.ts";
import { searchAnswerSchema, type SearchHit as WireSearchHit } from "@ensemble/protocol/wire/search";

const searchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  /** Comma-separated provider types; all when omitted. */
  types: z
    .string()
    .max(500)
    .regex(/^[a-z0-9_.,-]*$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const present = (h: SearchHit): WireSearchHit => ({
  type: h.type,
  id: h.id,
  title: h.title,
  snippet: h.snippet,
  url: h.url,
  score: Math.round(h.score * 1000) / 1000,
  data: h.data,
});

/** GET /api/search over every module's provider, and the kernel's own provider: people. */
export const searchModule = defineModule({
  name: "search",
  searchProviders: (k) => [peopleProvider(k)],
  routes: (app, k) => {
    route(app, {
      method: "GET",
      url: "/api/search",
      summary:
        "Search everything the caller may read (accent-insensitive, prefixes); results merged, ranked and grouped by type",
      tags: ["search"],
      auth: "user",
      response: searchAnswerSchema,
      query: searchQuery,
      handler: async ({ actor, query }) => {
        const types = query.types ? query.types.split(",").filter(Boolean) : undefined;
        const unknown = types?.filter((t) => !k.search.types.includes(t)) ?? [];
        if (unknown.length) throw new AppError("validation", `unknown search type: ${unknown.join(", ")}`);
        const r = await k.search.query(actor, parseQuery(query.q), { ...(types ? { types } : {}), limit: query.limit });
        return {
          query: query.q,
          items: r.items.map(present),
          groups: r.groups.map((g) => ({ type: g.type, items: g.items.map(present) })),
        };
      },
    });
  },
});

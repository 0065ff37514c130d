import { randomBytes } from "node:crypto";
import { dropSchema, testDatabaseUrl } from "@ensemble/testkit/test-db";
import type { BenchReport } from "./report.ts";
import { createAdmin, startServerProcess, type ServerProcess } from "./server-process.ts";

type Kind = "sqlite" | "postgres";
const CARDS = 5_000;
const LISTS = 5;
const LOADS = 30;
const MOVES = 100;
const SEED_CONCURRENCY = 8;
/** Cards per cell in the board's first answer (CELL_PAGE in modules/boards/shared/schemas.ts). */
const PAGE = 50;

interface Card {
  id: string;
  listId: string;
  swimlaneId: string;
  position: string;
}

interface Session {
  url: string;
  cookie: string;
  csrf: string;
}

async function call<T>(
  s: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ ms: number; bytes: number; body: T }> {
  const t0 = performance.now();
  const r = await fetch(`${s.url}${path}`, {
    method,
    headers: { cookie: s.cookie, "x-csrf-token": s.csrf, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  const ms = performance.now() - t0;
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return { ms, bytes: text.length, body: JSON.parse(text) as T };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (x: number) => `${x.toFixed(1)} ms`;

async function runOne(kind: Kind): Promise<string[]> {
  const schema = `bench_boards_${randomBytes(4).toString("hex")}`;
  const env: Record<string, string> = {
    LOG_LEVEL: "warn",
    ...(kind === "postgres" ? { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema } : {}),
  };
  const server: ServerProcess = await startServerProcess({ env, timeoutMs: 180_000 });
  try {
    const admin = await createAdmin(server);
    const csrf = /ensemble_csrf=([^;]+)/.exec(admin.cookie)?.[1] ?? "";
    const s: Session = { url: server.url, cookie: admin.cookie, csrf };
    const lists = Array.from({ length: LISTS }, (_, i) => `Liste ${i + 1}`);
    const board = (await call<{ id: string }>(s, "POST", "/api/boards", { title: "Bench", lists })).body;
    const view = (await call<{ lists: { id: string }[] }>(s, "GET", `/api/boards/${board.id}`)).body;
    // Seeding through the API (every card placed by the rule, with its event), a few at a time.
    let next = 0;
    const seedStart = performance.now();
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        while (next < CARDS) {
          const i = next++;
          await call(s, "POST", `/api/boards/${board.id}/cards`, {
            listId: view.lists[i % LISTS]!.id,
            title: `Carte ${i} — une tâche à faire avant la fin du trimestre`,
            description: "Quelques lignes de description pour que la carte pèse ce qu’elle pèse en vrai.",
          });
        }
      }),
    );
    const seedS = (performance.now() - seedStart) / 1000;
    await call(s, "GET", `/api/boards/${board.id}`); // warm-up
    type Opened = { cards: Card[]; cells: { total: number }[] };
    const loads: number[] = [];
    let bytes = 0;
    for (let i = 0; i < LOADS; i++) {
      const r = await call<Opened>(s, "GET", `/api/boards/${board.id}`);
      const total = r.body.cells.reduce((n, c) => n + c.total, 0);
      if (total !== CARDS) throw new Error(`expected ${CARDS} cards in the cells' totals, got ${total}`);
      if (r.body.cards.length !== LISTS * PAGE)
        throw new Error(`expected ${LISTS * PAGE} cards, got ${r.body.cards.length}`);
      loads.push(r.ms);
      bytes = r.bytes;
    }
    // « Load more »: the next page of one cell after the last card held, as the page asks for it.
    const pages: number[] = [];
    const opened = (await call<Opened>(s, "GET", `/api/boards/${board.id}`)).body;
    for (let i = 0; i < LOADS; i++) {
      const last = opened.cards.filter((c) => c.listId === view.lists[i % LISTS]!.id).at(-1)!;
      const q = new URLSearchParams({
        listId: last.listId,
        swimlaneId: last.swimlaneId,
        afterPosition: last.position,
        afterId: last.id,
      });
      pages.push((await call(s, "GET", `/api/boards/${board.id}/cards?${q.toString()}`)).ms);
    }
    const cards = opened.cards;
    const moves: number[] = [];
    for (let i = 0; i < MOVES; i++) {
      const card = cards[(i * 37) % cards.length]!;
      const r = await call(s, "POST", `/api/boards/cards/${card.id}/move`, {
        listId: view.lists[(i + 1) % LISTS]!.id,
        afterId: cards[(i * 53) % cards.length]!.id,
      });
      moves.push(r.ms);
    }
    return [
      kind,
      `${((seedS * 1000) / CARDS).toFixed(1)} ms/card`,
      fmt(pct(loads, 50)),
      fmt(pct(loads, 95)),
      fmt(Math.max(...loads)),
      `${(bytes / 1024).toFixed(0)} KiB`,
      fmt(pct(pages, 50)),
      fmt(pct(moves, 50)),
      fmt(pct(moves, 99)),
    ];
  } finally {
    await server.stop();
    if (kind === "postgres") await dropSchema(schema);
  }
}

/** `npm run bench -- boards [--db sqlite|postgres]`: loading and moving cards on a 5,000-card board. */
export async function boards(): Promise<BenchReport> {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--db");
  const dbs: Kind[] = i >= 0 ? [argv[i + 1] as Kind] : ["sqlite", "postgres"];
  const rows: string[][] = [];
  for (const kind of dbs) rows.push(await runOne(kind));
  return {
    title: "A board of 5,000 cards (`boards`)",
    table: [
      [
        "database",
        "seeding (API)",
        "open p50",
        "open p95",
        "open max",
        "answer",
        "next page p50",
        "move p50",
        "move p99",
      ],
      ...rows,
    ],
    notes: [
      `Method: \`ensemble serve\` as a separate process (NODE_ENV=production), one board of ${LISTS} lists and one swimlane, ${CARDS.toLocaleString("en")} cards created through \`POST /api/boards/:id/cards\` (${SEED_CONCURRENCY} at a time); then ${LOADS} sequential \`GET /api/boards/:id\` (what the board page opens with: lists, swimlanes, members, each cell's total and its first ${PAGE} open cards as summaries — no description, authorship or times, which come with the card) after a warm-up, timed at the client including the transfer; ${LOADS} « load more » (\`GET /api/boards/:id/cards\`, the next ${PAGE} of one cell after a cursor); then ${MOVES} sequential card moves to another list after a named card (board lock, placement, event).`,
      "Target (DESIGN.md): a board with 5,000 cards answers its API in < 150 ms. First render and a drag's frame time in Chromium, and move propagation to 50 viewers, are not measured yet.",
    ],
  };
}

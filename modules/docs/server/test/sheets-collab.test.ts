import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { SheetEngine } from "../../shared/sheets/engine.ts";
import { SHEET_FILE_MARKER, SHEET_MEDIA_TYPE } from "../../shared/sheets/sheet-file.ts";
import { Workbook } from "../../shared/sheets/workbook.ts";
import { collabClient, personalRoot, type CollabClient } from "./collab-clients.ts";

let server: TestServer;
let alice: TestClient;
let aliceRoot: string;
const open: CollabClient[] = [];
const engines: SheetEngine[] = [];

/** A client with the workbook it edits, once synced (the first sheet made if the workbook is new). */
async function join(docId: string, as: Parameters<typeof collabClient>[2]) {
  const c = collabClient(server.url, docId, as);
  open.push(c);
  await waitFor(() => c.provider.isSynced, "synced");
  const wb = new Workbook(c.doc);
  if (c.provider.authorizedScope !== "readonly") wb.ensureFirstSheet();
  return { c, wb };
}

async function newSheet(c: TestClient, name: string): Promise<string> {
  const r = await c.request<{ id: string }>(
    "PUT",
    `/api/files/nodes/${aliceRoot}/files?name=${encodeURIComponent(name)}`,
    undefined,
    { raw: Buffer.from(SHEET_FILE_MARKER), headers: { "content-type": SHEET_MEDIA_TYPE } },
  );
  if (r.status !== 200) throw new Error(`spreadsheet not created: ${r.status} ${r.text}`);
  return r.body.id;
}

/** Every cell's input by position, sheet by sheet: what a person sees in the formula bar. */
function inputs(wb: Workbook): string {
  return JSON.stringify(
    wb.sheetIds().map((s) => {
      const out: string[] = [wb.name(s)];
      const rows = wb.rows(s).length;
      const cols = wb.cols(s).length;
      for (let r = 0; r < rows; r++)
        for (let col = 0; col < cols; col++) {
          const text = wb.inputAt(s, r, col);
          if (text !== "") out.push(`${r},${col}=${text}`);
        }
      return out;
    }),
  );
}

/** All clients hold the same state and have nothing left to send. */
const converged = (clients: CollabClient[]) => () => {
  const first = Y.encodeStateVector(clients[0]!.doc).join();
  return clients.every((c) => !c.provider.hasUnsyncedChanges && Y.encodeStateVector(c.doc).join() === first);
};

/** A small deterministic generator: the failing run can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_STORE_DEBOUNCE_MS: "50" } });
  ({ client: alice } = await server.signedIn());
  aliceRoot = await personalRoot(alice);
});
afterEach(() => {
  for (const e of engines.splice(0)) e.destroy();
  for (const c of open.splice(0)) c.destroy();
});
afterAll(async () => {
  await server?.close();
});

describe("spreadsheets co-edited over /collab with the stock Hocuspocus provider", () => {
  it("two clients edit cells; each sees the other's values and the same formula results; a late client gets it all", async () => {
    const id = await newSheet(alice, "Budget.enssheet");
    const [a, b] = await Promise.all([join(id, { cookies: alice }), join(id, { cookies: alice })]);
    const [ea, eb] = [new SheetEngine(a.wb), new SheetEngine(b.wb)];
    engines.push(ea, eb);
    await waitFor(converged([a.c, b.c]), "one first sheet on both");
    expect(a.wb.sheetIds()).toEqual(b.wb.sheetIds());
    const s = a.wb.sheetIds()[0]!;
    a.wb.setInput(s, 0, 0, "120");
    b.wb.setInput(s, 1, 0, "80");
    a.wb.setInput(s, 2, 0, "=SUM(A1:A2)");
    b.wb.setInput(s, 0, 1, "de B");
    a.wb.setInput(s, 0, 1, "de A");
    await waitFor(converged([a.c, b.c]), "converged");
    for (const e of [ea, eb]) expect(e.value(s, 2, 0)).toBe(200);
    expect(ea.value(s, 0, 1)).toBe(eb.value(s, 0, 1));
    b.wb.setInput(s, 1, 0, "0");
    await waitFor(() => ea.value(s, 2, 0) === 120, "a formula recomputed on the other client");
    const late = await join(id, { cookies: alice });
    await waitFor(converged([a.c, late.c]), "late client synced");
    expect(inputs(late.wb)).toBe(inputs(a.wb));
  });

  it("twenty clients writing random cells and inserting and deleting rows at once converge to the same inputs and results", async () => {
    const id = await newSheet(alice, "Vingt.enssheet");
    const clients = await Promise.all(Array.from({ length: 20 }, () => join(id, { cookies: alice })));
    await waitFor(converged(clients.map((x) => x.c)), "every client synced");
    const s = clients[0]!.wb.sheetIds()[0]!;
    const checked = [clients[0]!, clients[9]!, clients[19]!];
    for (const x of checked) engines.push(new SheetEngine(x.wb));
    clients.forEach(({ wb }, i) => {
      const rnd = random(i + 1);
      for (let step = 0; step < 12; step++) {
        const op = rnd(10);
        const row = rnd(30);
        if (op === 0) wb.insertRows(s, row);
        else if (op === 1) wb.deleteRows(s, row);
        else if (op === 2) wb.setInput(s, row, 3, `=SUM(A${row + 1}:C${row + 1})`);
        else wb.setInput(s, row, rnd(3), String(i * 100 + step));
      }
    });
    await waitFor(converged(clients.map((x) => x.c)), "every edit on every client", 30_000);
    const expected = inputs(clients[0]!.wb);
    for (const x of clients) expect(inputs(x.wb)).toBe(expected);
    const rows = clients[0]!.wb.rows(s).length;
    const results = (e: SheetEngine) => JSON.stringify(Array.from({ length: rows }, (_, r) => e.value(s, r, 3)));
    expect(results(engines[1]!)).toBe(results(engines[0]!));
    expect(results(engines[2]!)).toBe(results(engines[0]!));
  });

  it("refuses a read-only connection's cell edits: no other client and no later reader sees them", async () => {
    const id = await newSheet(alice, "Lecture.enssheet");
    const token = await alice.post<{ token: string }>("/api/me/tokens", { name: "lecteur", scopes: ["read"] });
    expect(token.status, token.text).toBe(201);
    const writer = await join(id, { cookies: alice });
    const s = writer.wb.sheetIds()[0]!;
    writer.wb.setInput(s, 0, 0, "Validé");
    await waitFor(() => !writer.c.provider.hasUnsyncedChanges, "writer acknowledged");
    const reader = await join(id, { headers: { authorization: `Bearer ${token.body.token}` } });
    expect(reader.c.provider.authorizedScope).toBe("readonly");
    await waitFor(() => reader.wb.sheetIds().length === 1 && reader.wb.inputAt(s, 0, 0) === "Validé", "reader sees it");
    reader.wb.setInput(s, 0, 0, "PIRATE");
    reader.wb.addSheet("Pirate");
    // The writer's later change reaches the reader: the server has handled the reader's before.
    writer.wb.setInput(s, 1, 0, "Fin");
    await waitFor(() => reader.wb.inputAt(s, 1, 0) === "Fin", "the writer's change at the reader");
    const other = await join(id, { cookies: alice });
    await waitFor(() => other.wb.inputAt(s, 1, 0) === "Fin", "a new client synced");
    expect(other.wb.inputAt(s, 0, 0)).toBe("Validé");
    expect(other.wb.sheetIds()).toEqual([s]);
    expect(writer.wb.inputAt(s, 0, 0)).toBe("Validé");
  });
});

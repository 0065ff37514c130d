/**
 * The chat screen in French for the README: `node e2e/src/chat-screenshot.ts`
 * (after the web build) writes docs/screenshots/chat.png, and its forced-colours
 * and 200 % zoom views for docs/ACCESSIBILITY.md.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestClient } from "@ensemble/testkit";
import { launchChromium, newContext } from "./browser.ts";
import { PNG } from "./chat.ts";
import { signIn } from "./shell.ts";

const out = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
mkdirSync(out, { recursive: true });

const server = await startTestServer();
const browser = await launchChromium();
try {
  const people: { id: string; username: string; api: TestClient }[] = [];
  for (const [username, displayName] of [
    ["amartin", "Alice Martin"],
    ["bpetit", "Bruno Petit"],
    ["cbernard", "Chloé Bernard"],
  ] as const) {
    const u = await server.createUser({ username, displayName });
    const api = server.client();
    await api.post("/api/auth/sign-in", { login: u.username, password: u.password });
    people.push({ id: u.id, username: u.username, api });
  }
  const [alice, bruno, chloe] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
  const room = (
    await alice.api.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "projet-tramway",
      topic: "Suivi du chantier de la ligne T3",
      memberIds: [bruno.id, chloe.id],
    })
  ).body.id;
  await alice.api.post("/api/chat/rooms", { type: "channel", slug: "support-informatique", memberIds: [bruno.id] });
  await alice.api.post("/api/chat/direct", { userIds: [chloe.id] });
  let n = 0;
  const say = async (who: TestClient, text: string, extra: Record<string, unknown> = {}) =>
    (await who.post<{ id: string }>(`/api/chat/rooms/${room}/messages`, { clientKey: `shot-${n++}`, text, ...extra }))
      .body.id;
  await say(alice.api, "Bonjour à tous :wave: le **compte rendu** de la réunion de chantier est prêt.");
  await say(
    alice.api,
    "Points à valider :\n- le planning des travaux de nuit\n- la déviation des bus\n- l'information aux riverains",
  );
  const q = await say(
    bruno.api,
    `@${alice.username} merci ! Pour la déviation, voir #support-informatique pour l'accès au SIG.`,
  );
  await bruno.api.post(`/api/chat/messages/${q}/reactions`, { emoji: "+1" });
  await chloe.api.post(`/api/chat/messages/${q}/reactions`, { emoji: "+1" });
  await say(
    chloe.api,
    "Je m'occupe du courrier aux riverains. La requête pour la liste des adresses :\n```sql\nselect adresse, commune from riverains where distance_m < 200; -- périmètre\n```",
  );
  const up = await chloe.api.request<{ attachment: unknown }>(
    "POST",
    `/api/chat/rooms/${room}/files?name=plan-deviation.png`,
    undefined,
    { raw: PNG, headers: { "content-type": "image/png" } },
  );
  const plan = await say(chloe.api, "Le plan de déviation :", { attachments: [up.body.attachment] });
  await say(bruno.api, "Parfait, je le transmets au service voirie.", { parentId: plan });
  await say(alice.api, "Bravo, on tient les délais :tada:", { parentId: plan });
  await bruno.api.post(`/api/chat/messages/${plan}/reactions`, { emoji: "heart" });

  const { page } = await newContext(browser, server.url);
  await signIn(page, "fr", alice.username);
  await page.goto(`/chat/${room}?thread=${plan}`);
  await page.getByTestId("thread-panel").getByTestId("message").nth(1).waitFor();
  await page
    .getByTestId("inline-image")
    .first()
    .evaluate((img) => (img as HTMLImageElement).decode());
  await page.screenshot({ path: `${out}chat.png` });
  // Issue 16: the same room in forced colours (a message focused, to show the ring) and at 200 % zoom — a
  // 1280×800 window at zoom 2 is 640×400 CSS pixels drawn at twice the density. docs/ACCESSIBILITY.md
  // describes what they show.
  await page.emulateMedia({ forcedColors: "active" });
  await page.getByTestId("message").last().focus();
  await page.screenshot({ path: `${out}chat-forced-colours.png` });
  const zoomed = await browser.newContext({
    baseURL: server.url,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 640, height: 400 },
    deviceScaleFactor: 2,
  });
  const big = await zoomed.newPage();
  await signIn(big, "fr", alice.username);
  await big.goto(`/chat/${room}`);
  await big
    .getByTestId("inline-image")
    .first()
    .evaluate((img) => (img as HTMLImageElement).decode());
  await big.screenshot({ path: `${out}chat-zoom-200.png` });
  process.stdout.write(`screenshots written to ${out}chat.png, chat-forced-colours.png, chat-zoom-200.png\n`);
} finally {
  await browser.close();
  await server.close();
}

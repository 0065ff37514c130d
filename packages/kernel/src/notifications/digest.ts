import type { NotificationService } from "./notification-service.ts";
import type { LocalizedText } from "./notification-types.ts";
import { storedPrefsSchema } from "./notification-types.ts";

const BATCH = 5_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One pass of the e-mail digest (a cluster job): for each user, what is
 * still unread, wanted by e-mail, and older than their delay goes out in one
 * message. Rows are marked before sending so another pass never mails them
 * twice; a failed send unmarks them for the next pass.
 */
export async function runDigest(n: NotificationService): Promise<number> {
  const rows = await n.db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .leftJoin("notification_prefs as p", "p.user_id", "n.user_id")
    .select([
      "n.id",
      "n.user_id",
      "n.title",
      "n.body",
      "n.link",
      "n.created_at",
      "u.email",
      "u.locale",
      "u.display_name",
      "p.prefs",
    ])
    .where("n.email", "=", 1)
    .where("n.read_at", "is", null)
    .where("n.emailed_at", "is", null)
    .where("u.deactivated", "=", 0)
    .where("u.email", "is not", null)
    .orderBy("n.user_id")
    .orderBy("n.id")
    .limit(BATCH)
    .execute();
  const byUser = new Map<string, typeof rows>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
  let sent = 0;
  for (const [userId, list] of byUser) {
    const first = list[0]!;
    const prefs = storedPrefsSchema.safeParse(first.prefs ? JSON.parse(first.prefs) : {});
    const delayMs = (prefs.success ? prefs.data.emailDelayMinutes : 30) * 60_000;
    const due = list.filter((r) => Date.parse(r.created_at) <= Date.now() - delayMs);
    if (!due.length) continue;
    const ids = due.map((r) => r.id);
    const now = new Date().toISOString();
    await n.db
      .updateTable("notifications")
      .set({ emailed_at: now })
      .where("id", "in", ids)
      .where("emailed_at", "is", null)
      .execute();
    const fr = first.locale !== "en";
    const items = due.map((r) => {
      const title = (JSON.parse(r.title) as LocalizedText).text;
      const body = r.body ? (JSON.parse(r.body) as LocalizedText).text : "";
      return { title, body, url: r.link ? `${n.config.publicUrl}${r.link}` : n.config.publicUrl };
    });
    const subject = fr
      ? `${items.length} notification${items.length > 1 ? "s" : ""} non lue${items.length > 1 ? "s" : ""}`
      : `${items.length} unread notification${items.length > 1 ? "s" : ""}`;
    const intro = fr
      ? `Bonjour ${first.display_name}, voici ce que vous n'avez pas encore lu :`
      : `Hello ${first.display_name}, here is what you have not read yet:`;
    const text = `${intro}\n\n${items.map((i) => `- ${i.title}${i.body ? ` — ${i.body}` : ""}\n  ${i.url}`).join("\n")}\n`;
    const html = `<p>${escapeHtml(intro)}</p><ul>${items
      .map(
        (i) =>
          `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.title)}</a>${i.body ? ` — ${escapeHtml(i.body)}` : ""}</li>`,
      )
      .join("")}</ul>`;
    try {
      await n.mailer.send({ to: first.email!, subject, text, html });
      sent += 1;
    } catch (e) {
      n.log.warn({ userId, err: (e as Error).message }, "digest not sent; will retry");
      await n.db
        .updateTable("notifications")
        .set({ emailed_at: null })
        .where("id", "in", ids)
        .where("emailed_at", "=", now)
        .execute();
    }
  }
  return sent;
}

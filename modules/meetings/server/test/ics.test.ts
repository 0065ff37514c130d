import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startSmtpServer,
  startTestServer,
  type TestClient,
  type TestServer,
  type TestSmtpServer,
} from "@ensemble/testkit";
import type { MeetingDto } from "../../shared/schemas.ts";

/**
 * Invitations as iCalendar, read back with ical.js (another implementation
 * than the one that wrote them): what was mailed and what is downloaded carry
 * the right METHOD, UID, SEQUENCE, times and link.
 */
let s: TestServer;
let smtp: TestSmtpServer;
let organiser: TestClient;
let invitee: { id: string; username: string };

beforeAll(async () => {
  smtp = await startSmtpServer();
  s = await startTestServer({ env: { SMTP_URL: smtp.url, PUBLIC_URL: "https://ensemble.example.org" } });
  organiser = (await s.signedIn({ displayName: "Odile Organisatrice" })).client;
  invitee = await s.createUser({ email: "ines@example.org", displayName: "Inès Invitée" });
});
afterAll(async () => {
  await s?.close();
  await smtp?.close();
});

function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const events = cal.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
  return { method: cal.getFirstPropertyValue("method"), events, cal };
}

/** The calendar attached to the next mail to the invitee whose subject matches. */
async function mailed(subject: RegExp) {
  const mail = await smtp.waitForMail((m) => m.to.includes("ines@example.org") && subject.test(m.subject));
  const att = mail.parsed.attachments.find((a) => a.contentType.startsWith("text/calendar"));
  expect(att, "an iCalendar attachment").toBeDefined();
  return { mail, text: att!.content.toString("utf8") };
}

describe("meetings: iCalendar invitations", () => {
  it("mails an invitation, then an update with the same UID and a higher SEQUENCE, then a cancellation", async () => {
    const created = await organiser.post<MeetingDto>("/api/meetings", {
      kind: "scheduled",
      title: "Revue du budget",
      description: "Ordre du jour en pièce jointe.",
      startsAt: "2027-01-12T09:30:00+01:00",
      durationMinutes: 45,
      invitees: [invitee.id],
    });
    expect(created.status, created.text).toBe(201);
    const m = created.body;

    const invite = await mailed(/^Invitation : Revue du budget/);
    expect(invite.mail.text).toContain(m.link);
    const inv = parse(invite.text);
    expect(inv.method).toBe("REQUEST");
    expect(inv.events).toHaveLength(1);
    const e = inv.events[0]!;
    const uid = e.uid;
    expect(uid).toBe(`${m.id}@ensemble.example.org`);
    expect(e.sequence).toBe(0);
    expect(e.summary).toBe("Revue du budget");
    expect(e.startDate.toJSDate().toISOString()).toBe("2027-01-12T08:30:00.000Z");
    expect(e.endDate.toJSDate().toISOString()).toBe("2027-01-12T09:15:00.000Z");
    expect(e.location).toBe(`https://ensemble.example.org/meetings/${m.code}`);
    expect(e.description).toContain(m.code);
    expect(e.component.getFirstPropertyValue("url")).toBe(m.link);
    expect(e.organizer).toContain("mailto:");
    expect(e.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(["mailto:ines@example.org"]);

    // The downloaded file says the same.
    const dl = await organiser.get(`/api/meetings/${m.id}/invitation.ics`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(parse(dl.text).events[0]!.uid).toBe(uid);

    // Rescheduled: an update, same UID, higher SEQUENCE, new times.
    const moved = await organiser.patch<MeetingDto>(`/api/meetings/${m.id}`, {
      startsAt: "2027-01-13T14:00:00Z",
      durationMinutes: 30,
    });
    expect(moved.status, moved.text).toBe(200);
    const upd = parse((await mailed(/^Mise à jour/)).text);
    expect(upd.method).toBe("REQUEST");
    expect(upd.events[0]!.uid).toBe(uid);
    expect(upd.events[0]!.sequence).toBe(1);
    expect(upd.events[0]!.startDate.toJSDate().toISOString()).toBe("2027-01-13T14:00:00.000Z");
    expect(upd.events[0]!.endDate.toJSDate().toISOString()).toBe("2027-01-13T14:30:00.000Z");

    // Cancelled: METHOD:CANCEL, same UID, higher SEQUENCE still.
    expect((await organiser.delete(`/api/meetings/${m.id}`)).status).toBe(204);
    const cancel = parse((await mailed(/^Annulée/)).text);
    expect(cancel.method).toBe("CANCEL");
    expect(cancel.events[0]!.uid).toBe(uid);
    expect(cancel.events[0]!.sequence).toBe(2);
    expect(cancel.events[0]!.component.getFirstPropertyValue("status")).toBe("CANCELLED");
  });

  it("serves each person a calendar feed of their meetings at an address only they know", async () => {
    const inviteeClient = s.client();
    await inviteeClient.post("/api/auth/sign-in", { login: invitee.username, password: "Correct-Horse-Battery-42" });
    const m = (
      await organiser.post<MeetingDto>("/api/meetings", {
        kind: "scheduled",
        title: "Point hebdomadaire",
        startsAt: "2027-02-01T10:00:00Z",
        durationMinutes: 60,
        invitees: [invitee.id],
      })
    ).body;
    const { url } = (await inviteeClient.get<{ url: string }>("/api/meetings/calendar-feed")).body;
    const path = new URL(url).pathname;
    const feed = await s.client().get(path);
    expect(feed.status).toBe(200);
    const cal = parse(feed.text);
    expect(cal.method).toBe("PUBLISH");
    expect(cal.events.map((e) => e.uid)).toContain(`${m.id}@ensemble.example.org`);
    // Another signature, or another person's id with this one: nothing.
    expect((await s.client().get(`${path.slice(0, -4)}AAAA`)).status).toBe(404);
    const other = await s.createUser();
    expect((await s.client().get(path.replace(invitee.id, other.id))).status).toBe(404);
  });
});

import type { Kysely } from "kysely";
import type { Channels, NotificationKind, StoredPrefs } from "./notification-types.ts";
import { storedPrefsSchema } from "./notification-types.ts";
import type { NotificationTables } from "./notification-tables.ts";

/** Until a module says otherwise: in the centre and pushed, not e-mailed. */
export const FALLBACK_CHANNELS: Channels = { inApp: true, push: true, email: false };

export async function loadPrefs(db: Kysely<NotificationTables>, userId: string): Promise<StoredPrefs> {
  const row = await db
    .selectFrom("notification_prefs")
    .select("prefs")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const parsed = storedPrefsSchema.safeParse(row ? JSON.parse(row.prefs) : {});
  return parsed.success ? parsed.data : storedPrefsSchema.parse({});
}

export async function savePrefs(db: Kysely<NotificationTables>, userId: string, prefs: StoredPrefs): Promise<void> {
  const now = new Date().toISOString();
  const value = JSON.stringify(prefs);
  await db
    .insertInto("notification_prefs")
    .values({ user_id: userId, prefs: value, last_push_at: null, updated_at: now })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ prefs: value, updated_at: now }))
    .execute();
}

export function channelsFor(prefs: StoredPrefs, kind: string, kinds: ReadonlyMap<string, NotificationKind>): Channels {
  return { ...(kinds.get(kind)?.defaults ?? FALLBACK_CHANNELS), ...prefs.kinds[kind] };
}

/** Minutes since midnight and weekday of `now` in `timeZone` (falls back to UTC for an unknown zone). */
function localClock(now: Date, timeZone: string): { minutes: number; day: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    }).formatToParts(now);
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { minutes: Number(get("hour")) * 60 + Number(get("minute")), day };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the user's do-not-disturb schedule covers `now`, read in their own time zone. */
export function inDoNotDisturb(prefs: StoredPrefs, timeZone: string, now = new Date()): boolean {
  const { enabled, start, end, days } = prefs.dnd;
  if (!enabled) return false;
  const { minutes, day } = localClock(now, timeZone);
  const s = toMinutes(start);
  const e = toMinutes(end);
  if (s === e) return days.length === 0 || days.includes(day);
  const crossesMidnight = s > e;
  const inside = crossesMidnight ? minutes >= s || minutes < e : minutes >= s && minutes < e;
  if (!inside) return false;
  if (!days.length) return true;
  // After midnight, the window belongs to the day it started on.
  const startedOn = crossesMidnight && minutes < e ? (day + 6) % 7 : day;
  return days.includes(startedOn);
}

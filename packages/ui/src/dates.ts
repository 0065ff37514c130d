import { useCallback, useMemo, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";

/**
 * One rule for every date and time shown to a person, in the shell and in
 * every module: the profile's time zone (the shell passes it on from
 * `/api/me`), else the browser's; French on a 24-hour clock. A message, its
 * notification, an invitation and a session therefore read the same hour.
 */
export type DateStyle = "time" | "date" | "dateTime" | "short" | "seconds" | "long" | "day";

const STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  /** A message's hour: 14:05. */
  time: { timeStyle: "short" },
  date: { dateStyle: "medium" },
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  /** Compact lists (threads, comments). */
  short: { dateStyle: "short", timeStyle: "short" },
  /** A document's versions, a second apart. */
  seconds: { dateStyle: "short", timeStyle: "medium" },
  /** The home page's « today ». */
  long: { weekday: "long", day: "numeric", month: "long" },
  /** A day separator in a conversation. */
  day: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
};

type When = string | number | Date | null | undefined;

export function browserTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A zone the runtime knows, in its canonical spelling; null otherwise. */
function known(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

let profileZone: string | null = null;
const listeners = new Set<() => void>();

/** The shell's part: the signed-in person's zone from their profile (null when signed out). */
export function setProfileTimeZone(zone: string | null | undefined): void {
  const next = known(zone);
  if (next === profileZone) return;
  profileZone = next;
  listeners.forEach((fn) => fn());
}

/** The zone every date is shown in now. */
export function currentTimeZone(): string {
  return profileZone ?? browserTimeZone();
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(style: DateStyle, lang: string, zone: string): Intl.DateTimeFormat {
  const key = `${style}|${lang}|${zone}`;
  let f = formats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { ...STYLES[style], timeZone: zone };
    // French reads a 24-hour clock whatever the runtime's regional data prefers.
    if (lang.toLowerCase().startsWith("fr") && style !== "date" && style !== "long" && style !== "day")
      opts.hourCycle = "h23";
    f = new Intl.DateTimeFormat(lang, opts);
    formats.set(key, f);
  }
  return f;
}

function toDate(when: When): Date | null {
  if (when === null || when === undefined || when === "") return null;
  const d = when instanceof Date ? when : new Date(when);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `when` in `lang`, in `zone` (by default the person's; an unknown zone falls back to the browser's); « — » for no date. */
export function formatDate(when: When, style: DateStyle, lang: string, zone: string = currentTimeZone()): string {
  const d = toDate(when);
  if (!d) return "—";
  return formatter(style, lang, known(zone) ?? browserTimeZone()).format(d);
}

const DAY_KEY: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `when` in `zone` (`2026-12-07`): what groups a conversation's messages by day. */
export function dayKey(when: When, zone: string = currentTimeZone()): string {
  const d = toDate(when);
  if (!d) return "";
  const z = known(zone) ?? browserTimeZone();
  let f = dayFormats.get(z);
  if (!f) dayFormats.set(z, (f = new Intl.DateTimeFormat("en-CA", { ...DAY_KEY, timeZone: z })));
  const parts = f.formatToParts(d);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Today's times by their hour alone, other days with their date: a notification's « when ». */
export function formatWhen(when: When, lang: string, zone: string = currentTimeZone(), now = new Date()): string {
  return formatDate(when, dayKey(when, zone) === dayKey(now, zone) ? "time" : "dateTime", lang, zone);
}

const subscribe = (fn: () => void) => {
  listeners.add(fn);
  return () => void listeners.delete(fn);
};

export interface Dates {
  zone: string;
  format(when: When, style: DateStyle): string;
  when(when: When): string;
  dayKey(when: When): string;
}

/** Formatting bound to the interface's language and the person's zone; re-renders when either changes. */
export function useDates(): Dates {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const zone = useSyncExternalStore(subscribe, currentTimeZone);
  const format = useCallback((when: When, style: DateStyle) => formatDate(when, style, lang, zone), [lang, zone]);
  return useMemo(
    () => ({
      zone,
      format,
      when: (when: When) => formatWhen(when, lang, zone),
      dayKey: (when: When) => dayKey(when, zone),
    }),
    [format, lang, zone],
  );
}

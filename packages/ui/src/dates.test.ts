import { afterEach, describe, expect, it } from "vitest";
import { browserTimeZone, currentTimeZone, dayKey, formatDate, formatWhen, setProfileTimeZone } from "./dates.ts";

// 13:05 UTC: 14:05 in Paris (winter), 08:05 in New York; 23:30 UTC is already the next day in Paris.
const NOON = "2026-12-07T13:05:00Z";
const LATE = "2026-12-07T23:30:00Z";

afterEach(() => setProfileTimeZone(null));

describe("one rule for dates and times", () => {
  it("writes French on a 24-hour clock and English with its own", () => {
    expect(formatDate(NOON, "time", "fr", "Europe/Paris")).toBe("14:05");
    expect(formatDate(NOON, "time", "fr", "America/New_York")).toBe("08:05");
    expect(formatDate(NOON, "time", "en", "Europe/Paris")).toBe("2:05 PM");
    expect(formatDate(NOON, "dateTime", "fr", "Europe/Paris")).toBe("7 déc. 2026, 14:05");
    expect(formatDate(NOON, "dateTime", "en", "Europe/Paris")).toBe("Dec 7, 2026, 2:05 PM");
    expect(formatDate(LATE, "day", "fr", "Europe/Paris")).toBe("mardi 8 décembre 2026");
    expect(formatDate(LATE, "day", "en", "America/New_York")).toBe("Monday, December 7, 2026");
  });

  it("follows the profile's zone, the browser's when the profile has none or an unknown one", () => {
    expect(currentTimeZone()).toBe(browserTimeZone());
    setProfileTimeZone("Asia/Tokyo");
    expect(currentTimeZone()).toBe("Asia/Tokyo");
    expect(formatDate(NOON, "time", "fr")).toBe("22:05");
    setProfileTimeZone("Mars/Olympus_Mons");
    expect(currentTimeZone()).toBe(browserTimeZone());
    expect(formatDate(NOON, "time", "fr", "Mars/Olympus_Mons")).toBe(formatDate(NOON, "time", "fr", browserTimeZone()));
  });

  it("groups by the day in the zone, not in UTC", () => {
    expect(dayKey(LATE, "Europe/Paris")).toBe("2026-12-08");
    expect(dayKey(LATE, "America/New_York")).toBe("2026-12-07");
    expect(dayKey(LATE, "UTC")).toBe("2026-12-07");
  });

  it("shows today's notifications by their hour and older ones with their date", () => {
    const now = new Date("2026-12-07T15:00:00Z");
    expect(formatWhen(NOON, "fr", "Europe/Paris", now)).toBe("14:05");
    expect(formatWhen("2026-12-06T13:05:00Z", "fr", "Europe/Paris", now)).toBe("6 déc. 2026, 14:05");
  });

  it("says « — » for no date or an unreadable one", () => {
    expect(formatDate(null, "dateTime", "fr")).toBe("—");
    expect(formatDate("not a date", "time", "en")).toBe("—");
    expect(dayKey(undefined)).toBe("");
  });
});

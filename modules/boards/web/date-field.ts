/** The date part of an ISO time, for a date field (and back, at noon UTC so no time zone moves the day). */
export const toDateField = (iso: string | null): string => (iso ? iso.slice(0, 10) : "");
export const fromDateField = (d: string): string | null => (d ? `${d}T12:00:00.000Z` : null);

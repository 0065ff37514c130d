/** A meeting's human code: `abc-defg-hij`, ten lowercase letters (no look-alikes to read aloud). */
export const MEETING_CODE_PATTERN = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;

/** Letters without i, l and o, which people confuse with 1, I and 0 when reading a code aloud. */
export const CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz";

/** Accepts what people type: any case, spaces or no dashes (`ABC DEFG HIJ`, `abcdefghij`). */
export function normaliseMeetingCode(input: string): string | null {
  const letters = input.toLowerCase().replace(/[\s-]/g, "");
  if (!/^[a-z]{10}$/.test(letters)) return null;
  return `${letters.slice(0, 3)}-${letters.slice(3, 7)}-${letters.slice(7)}`;
}

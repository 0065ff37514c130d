const units = ["o", "Kio", "Mio", "Gio", "Tio"];
/** A size for people (binary units, French abbreviations as the rest of the service shows them). */
export function bytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

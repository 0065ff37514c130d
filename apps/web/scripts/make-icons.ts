/**
 * Draws the app icons (PNG) with sharp from an SVG of the brand mark. Run once
 * when the mark changes (`node apps/web/scripts/make-icons.ts`); the PNGs are
 * committed under public/icons so that a build needs no image tooling.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const out = fileURLToPath(new URL("../public/icons/", import.meta.url));
mkdirSync(out, { recursive: true });

function mark(size: number, padding: number, radius: number): string {
  const inner = size - 2 * padding;
  const r = inner * 0.14;
  const c1 = padding + inner * 0.34;
  const c2 = padding + inner * 0.66;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
  <rect width="${size}" height="${size}" rx="${radius}" fill="#000091"/>
  <circle cx="${c1}" cy="${c1}" r="${r}" fill="#ffffff"/>
  <circle cx="${c2}" cy="${c1}" r="${r}" fill="#ffffff" fill-opacity="0.8"/>
  <circle cx="${c1}" cy="${c2}" r="${r}" fill="#ffffff" fill-opacity="0.8"/>
  <circle cx="${c2}" cy="${c2}" r="${r}" fill="#ffffff" fill-opacity="0.6"/>
</svg>`;
}

const icons: [string, number, number, number][] = [
  ["icon-192.png", 192, 0, 40],
  ["icon-512.png", 512, 0, 104],
  // Maskable: full-bleed background, the mark inside the 80% safe zone.
  ["maskable-512.png", 512, 64, 0],
];
for (const [name, size, padding, radius] of icons) {
  await sharp(Buffer.from(mark(size, padding, radius)))
    .png({ compressionLevel: 9 })
    .toFile(out + name);
}
process.stdout.write(`icons written to ${out}\n`);

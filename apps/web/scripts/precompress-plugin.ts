import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin, ResolvedConfig } from "vite";

/** What is worth compressing: text. Images and fonts are compressed already. */
const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
/** Smaller files gain too little to be worth a second and third copy. */
export const PRECOMPRESS_MIN_BYTES = 1024;

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) next
 * to every text file of the build, once, at build time: the server sends
 * them as they are to a browser that accepts them (`@fastify/static`'s
 * `preCompressed`), so no request pays for compression. Runs after every
 * other plugin has written its files (the service worker included); a copy
 * that is not smaller than the original is not kept.
 */
export function precompress(): Plugin {
  let outDir = "";
  return {
    name: "ensemble-precompress",
    apply: "build",
    configResolved(config: ResolvedConfig) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      order: "post",
      handler() {
        for (const file of readdirSync(outDir, { recursive: true }) as string[]) {
          const full = path.join(outDir, file);
          if (!TEXT.test(file) || !statSync(full).isFile()) continue;
          const raw = readFileSync(full);
          if (raw.length < PRECOMPRESS_MIN_BYTES) continue;
          const br = brotliCompressSync(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            },
          });
          if (br.length < raw.length) writeFileSync(`${full}.br`, br);
          const gz = gzipSync(raw, { level: 9 });
          if (gz.length < raw.length) writeFileSync(`${full}.gz`, gz);
        }
      },
    },
  };
}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface OutputSize {
  file: string;
  raw: number;
  gzip: number;
}

export function outputSizes(dir: string): OutputSize[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(?:js|css)$/.test(entry.name))
    .map((entry) => {
      const bytes = readFileSync(join(entry.parentPath, entry.name));
      return { file: join(entry.parentPath, entry.name), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

export function formatSizes(sizes: OutputSize[]): string {
  const total = sizes.reduce((sum, size) => ({ raw: sum.raw + size.raw, gzip: sum.gzip + size.gzip }), { raw: 0, gzip: 0 });
  const rows = sizes.map((size) => `${size.file.padEnd(24)} ${kb(size.raw).padStart(12)}   gzip ${kb(size.gzip).padStart(10)}`);
  return [...rows, `${"total".padEnd(24)} ${kb(total.raw).padStart(12)}   gzip ${kb(total.gzip).padStart(10)}`].join("\n");
}

// npm run plugin:pack [-- hf-pack pack flags]: refuse a manifest that fails plugin:check's judges,
// and a licence notice (assets/THIRD-PARTY-LICENSES.txt, shipped with assets/) that does not match
// Cargo.lock, then `hf-pack pack . --release` — the official packer builds the frontend (npm run build) and the
// plugin library (a plain cargo build of native/, whose default member is the plugin) and writes
// dist/<id>-<version>.hfpkg and its .sha256.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { officialCheckPasses, ownCheckPasses } from "./lib/checkPlugin.ts";
import { runHfPack } from "./lib/hfPack.ts";
import { NOTICE_PATH, noticeIsCurrent } from "./lib/thirdPartyLicenses.ts";

const rootDir = resolve(".");
const flags = process.argv.slice(2);
if (flags.includes("--no-backend")) {
  console.error("plugin:pack: hf-pack's --no-backend packs all of native/ (sources and target/) as prebuilt files; pack with the backend build instead.");
  process.exit(1);
}
if (!officialCheckPasses(rootDir) || !ownCheckPasses(rootDir)) {
  console.error("plugin:pack: refusing to pack a manifest that fails plugin:check.");
  process.exit(1);
}
if (existsSync(join(rootDir, "native", "Cargo.toml")) && !noticeIsCurrent(rootDir)) {
  console.error(`plugin:pack: ${NOTICE_PATH} does not match Cargo.lock; run \`npm run licenses\` and commit it.`);
  process.exit(1);
}
process.exit(runHfPack(["pack", rootDir, "--release", ...flags], rootDir));

// npm run licenses [-- --check]: writes assets/THIRD-PARTY-LICENSES.txt, the licence notice for the
// crates linked into the plugin library (the official packer ships assets/ in the .hfpkg). With
// --check it only compares, and fails when the committed notice is not the one Cargo.lock gives.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { NOTICE_PATH, noticeIsCurrent, thirdPartyNotice } from "./lib/thirdPartyLicenses.ts";

const rootDir = resolve(".");
if (process.argv.includes("--check")) {
  if (!noticeIsCurrent(rootDir)) {
    console.error(`licenses: ${NOTICE_PATH} does not match Cargo.lock; run \`npm run licenses\` and commit it.`);
    process.exit(1);
  }
} else {
  writeFileSync(join(rootDir, NOTICE_PATH), thirdPartyNotice(rootDir));
  console.log(`licenses: wrote ${NOTICE_PATH}`);
}

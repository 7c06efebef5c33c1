// npm run plugin:check [dir]: the official `hf-pack check`, then the crate's types and our own
// rules, then "every entry exists after a build". Exits 1 on the first judge that fails.
import { resolve } from "node:path";
import { missingBuildOutputs, officialCheckPasses, ownCheckPasses } from "./lib/checkPlugin.ts";

const dir = resolve(process.argv[2] ?? ".");
if (!officialCheckPasses(dir)) {
  console.error("plugin:check: the official hf-pack check failed (above).");
  process.exit(1);
}
if (!ownCheckPasses(dir)) {
  console.error("plugin:check: the manifest passes hf-pack check but not the crate's types or this project's rules (above).");
  process.exit(1);
}
const missing = missingBuildOutputs(dir);
if (missing.length > 0) {
  for (const problem of missing) console.error(problem);
  console.error(`plugin:check: ${missing.length} entr${missing.length === 1 ? "y does" : "ies do"} not exist in ${dir}`);
  process.exit(1);
}
console.log("plugin:check: the manifest passes every judge and every entry exists.");

// npm run plugin:check [dir]: the host packer's manifest rules plus "every entry exists after a build".
import { resolve } from "node:path";
import { checkManifestFile, hostInternalsWarnings, missingBuildOutputs } from "./lib/checkPlugin.ts";

const dir = resolve(process.argv[2] ?? ".");
const { manifest, problems } = checkManifestFile(dir);
if (manifest) problems.push(...missingBuildOutputs(dir, manifest));

for (const warning of hostInternalsWarnings(dir)) console.warn(`warning: ${warning}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`plugin:check: ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${dir}`);
  process.exit(1);
}
console.log(`plugin:check: ${manifest?.id}@${manifest?.version} is valid and every entry exists.`);

// npm run plugin:pack [-- --no-frontend --no-backend]: check, build the frontend and the release
// native library for this machine, then write dist/<id>-<version>.hfpkg and its .sha256.
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { checkManifestFile } from "./lib/checkPlugin.ts";
import { cargoLibraryFileName, currentNativeTarget, NATIVE_CRATE } from "./lib/nativeTarget.ts";
import { packPlugin } from "./lib/pack.ts";

const args = new Set(process.argv.slice(2));
const rootDir = resolve(".");
const { manifest, problems } = checkManifestFile(rootDir);
if (!manifest) {
  for (const problem of problems) console.error(problem);
  console.error("plugin:pack: refusing to pack a manifest that fails plugin:check.");
  process.exit(1);
}

const run = (command: string, commandArgs: string[]) => execFileSync(command, commandArgs, { stdio: "inherit", cwd: rootDir });
if (!args.has("--no-frontend")) run("npm", ["run", "build"]);
let nativeLibrary;
if (!args.has("--no-backend")) {
  run("cargo", ["build", "--release", "--locked", "--manifest-path", "native/Cargo.toml", "-p", NATIVE_CRATE]);
  const target = currentNativeTarget();
  nativeLibrary = { target, path: join(rootDir, "native", "target", "release", cargoLibraryFileName(target)) };
}

try {
  const packed = packPlugin({ rootDir, manifest, outDir: join(rootDir, "dist"), nativeLibrary });
  console.log(packed.files.map((file) => `  ${file}`).join("\n"));
  console.log(`plugin:pack: wrote ${packed.packagePath}\nsha256 ${packed.sha256}`);
} catch (error) {
  console.error(`plugin:pack: ${(error as Error).message}`);
  process.exit(1);
}

// npm run dev [-- devhost flags]: build the development bundle (into dist-dev/, so a package in
// dist/ survives), the dev page, the plugin library and the dev host (same cargo invocation, so
// the same compiler and profile — the trait-object
// FFI needs that), then serve the plugin in a HaloForge-shaped page. Ctrl+C stops everything.
// Flags after `--` go to the devhost, e.g. `npm run dev -- --port 5180 --session signedOut`.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { startDevhost } from "./dev/devhost.ts";

const rootDir = resolve(".");
const devhostArgs = ["--dist", resolve(rootDir, "dist-dev"), ...process.argv.slice(2)];
const run = (command: string, args: string[]) => {
  console.log(`\n> ${command} ${args.join(" ")}`);
  execFileSync(command, args, { stdio: "inherit", cwd: rootDir });
};

try {
  run("npm", ["run", "build:dev"]);
  run("npm", ["run", "build:page"]);
  run("cargo", ["build", "--locked", "--manifest-path", "native/Cargo.toml", "-p", "managed-image-gateway", "-p", "devhost"]);
} catch {
  console.error("\ndev: a build step failed (see above).");
  process.exit(1);
}

const devhost = await startDevhost({ rootDir, args: devhostArgs }).catch((error: unknown) => {
  console.error(`dev: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

console.log(`
  Managed Image Gateway dev host
  Page:                        ${devhost.origin}/
  Custom endpoint base URL:    ${devhost.fakeBaseUrl}   (embedded fake provider)
  Faults for a custom endpoint: ${devhost.fakeBaseUrl.replace(/\/v1$/, "")}/fake/fault=rate-limit:2/v1
  Press Ctrl+C to stop.
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\ndev: ${signal}, stopping the devhost…`);
  await devhost.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop("Ctrl+C"));
process.on("SIGTERM", () => void stop("SIGTERM"));
devhost.process.once("exit", (code, signal) => {
  if (stopping) return;
  console.error(`dev: the devhost exited (${signal ?? `exit code ${code}`}).`);
  process.exit(code ?? 1);
});

// The official packer, `hf-pack` (@haloforge/plugin-pack 0.2.16), built from the crate package's
// pack/ sources at first use. Its dependencies (adm-zip, chalk, commander, tweetnacl) are this
// project's dev dependencies; the build only strips types.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { materialize } from "./cratePackage.ts";

function transpilePack(dir: string): void {
  mkdirSync(join(dir, "dist"), { recursive: true });
  for (const file of readdirSync(join(dir, "src")).filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))) {
    const output = ts.transpileModule(readFileSync(join(dir, "src", file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(join(dir, "dist", file.replace(/\.ts$/, ".js")), output.outputText);
  }
}

/** Path of the built `hf-pack` CLI (dist/cli.js), building it when missing or out of date. */
export function hfPackCli(): string {
  return join(materialize("pack", transpilePack), "dist", "cli.js");
}

/** The part of the built packer's library (dist/core.js) that the tests call in process. */
export interface HfPackCore {
  checkPlugin(pluginDir: string): Promise<void>;
}

export async function hfPackCore(): Promise<HfPackCore> {
  const core = join(materialize("pack", transpilePack), "dist", "core.js");
  return (await import(pathToFileURL(core).href)) as HfPackCore; // a URL, so a Windows path imports too
}

/** Runs `hf-pack <args>` with inherited output; returns its exit code. */
export function runHfPack(args: string[], cwd: string): number {
  const result = spawnSync(process.execPath, [hfPackCli(), ...args], { cwd, stdio: "inherit" });
  return result.status ?? 1;
}

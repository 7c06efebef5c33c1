// Starting the native dev host (native/devhost) from Node: for `npm run dev` and for end-to-end
// tests. The devhost prints `listening on http://127.0.0.1:PORT` once it serves; this waits for
// that line and hands back the URLs.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

export interface DevhostOptions {
  /** Repository root (default: the current directory). */
  rootDir?: string;
  /** Cargo profile directory the devhost and plugin were built into (default "debug"). */
  profile?: "debug" | "release";
  /** Extra devhost flags, e.g. ["--home", dir, "--session", "signedOut"]. */
  args?: string[];
  /** Extra environment (e.g. HOME, HFMIG_UPSTREAM). */
  env?: NodeJS.ProcessEnv;
  /** Called with every line the devhost prints (default: echoed to this process's stdout). */
  onLine?: (line: string) => void;
  /** How long to wait for the devhost to listen (default 60 s). */
  timeoutMs?: number;
}

export interface RunningDevhost {
  /** `http://127.0.0.1:PORT`: the dev page and every endpoint. */
  origin: string;
  /** The embedded fake provider's base URL (managed upstream and suggested custom endpoint). */
  fakeBaseUrl: string;
  /** The second embedded fake provider's base URL: another origin (for key-origin checks). */
  otherFakeBaseUrl: string;
  process: ChildProcess;
  /** Stops the devhost (SIGINT, then SIGKILL after 5 s) and resolves when it has exited. */
  stop(): Promise<void>;
}

export function devhostBinary(rootDir: string, profile: "debug" | "release"): string {
  const name = process.platform === "win32" ? "devhost.exe" : "devhost";
  return join(rootDir, "native", "target", profile, name);
}

export function startDevhost(options: DevhostOptions = {}): Promise<RunningDevhost> {
  const rootDir = resolve(options.rootDir ?? ".");
  const binary = devhostBinary(rootDir, options.profile ?? "debug");
  if (!existsSync(binary)) {
    return Promise.reject(new Error(`${binary} is missing: build it with cargo build --manifest-path native/Cargo.toml -p devhost -p managed-image-gateway`));
  }
  const child = spawn(binary, options.args ?? [], {
    cwd: rootDir,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const onLine = options.onLine ?? ((line: string) => console.log(line));

  return new Promise((resolveStart, rejectStart) => {
    let fakeBaseUrl = "";
    let otherFakeBaseUrl = "";
    let started = false;
    const timer = setTimeout(() => {
      void stop();
      rejectStart(new Error("the devhost did not start listening in time"));
    }, options.timeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      onLine(line);
      const suggestion = /^devhost: suggested custom endpoint base URL (\S+)/.exec(line);
      if (suggestion?.[1]) fakeBaseUrl = suggestion[1];
      const other = /^devhost: second fake image provider (\S+)/.exec(line);
      if (other?.[1]) otherFakeBaseUrl = other[1];
      const listening = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening?.[1] && !started) {
        started = true;
        clearTimeout(timer);
        resolveStart({ origin: listening[1], fakeBaseUrl, otherFakeBaseUrl, process: child, stop });
      }
    });
    child.once("exit", (code, signal) => {
      if (started) return;
      clearTimeout(timer);
      rejectStart(new Error(`the devhost exited before listening (${signal ?? `exit code ${code}`})`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      rejectStart(error);
    });
  });
}

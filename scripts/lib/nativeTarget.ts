import type { NativePlatformKey } from "../../src/schemas/manifest.ts";

/** Where the host looks for this machine's native library, and what cargo calls it. */
export interface NativeTarget {
  platformKey: NativePlatformKey;
  family: "linux" | "macos" | "windows";
  triple: string;
  extension: "so" | "dylib" | "dll";
}

/** The cargo package of the plugin's native library (native/plugin). */
export const NATIVE_CRATE = "managed-image-gateway";

const TARGETS: Record<string, NativeTarget> = {
  "linux-x64": { platformKey: "linux_x64", family: "linux", triple: "x86_64-unknown-linux-gnu", extension: "so" },
  "linux-arm64": { platformKey: "linux_arm64", family: "linux", triple: "aarch64-unknown-linux-gnu", extension: "so" },
  "darwin-x64": { platformKey: "macos_x64", family: "macos", triple: "x86_64-apple-darwin", extension: "dylib" },
  "darwin-arm64": { platformKey: "macos_arm64", family: "macos", triple: "aarch64-apple-darwin", extension: "dylib" },
  "win32-x64": { platformKey: "windows_x64", family: "windows", triple: "x86_64-pc-windows-msvc", extension: "dll" },
  "win32-arm64": { platformKey: "windows_arm64", family: "windows", triple: "aarch64-pc-windows-msvc", extension: "dll" },
};

export function currentNativeTarget(platform = process.platform, arch = process.arch): NativeTarget {
  const target = TARGETS[`${platform}-${arch}`];
  if (!target) throw new Error(`HaloForge has no native plugin target for ${platform}-${arch}.`);
  return target;
}

/** File name cargo gives the cdylib: lib<name>.so / lib<name>.dylib / <name>.dll, with - → _. */
export function cargoLibraryFileName(target: NativeTarget, crate = NATIVE_CRATE): string {
  const base = crate.replaceAll("-", "_");
  return target.extension === "dll" ? `${base}.dll` : `lib${base}.${target.extension}`;
}

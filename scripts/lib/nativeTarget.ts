/** This machine's key in the manifest's entry.native, and the extension of its libraries. */
export interface NativeTarget {
  platformKey: "linux_x64" | "linux_arm64" | "macos_x64" | "macos_arm64" | "windows_x64" | "windows_arm64";
  extension: "so" | "dylib" | "dll";
}

/** The cargo package of the plugin's native library (native/plugin). */
export const NATIVE_CRATE = "managed-image-gateway";

const TARGETS: Record<string, NativeTarget> = {
  "linux-x64": { platformKey: "linux_x64", extension: "so" },
  "linux-arm64": { platformKey: "linux_arm64", extension: "so" },
  "darwin-x64": { platformKey: "macos_x64", extension: "dylib" },
  "darwin-arm64": { platformKey: "macos_arm64", extension: "dylib" },
  "win32-x64": { platformKey: "windows_x64", extension: "dll" },
  "win32-arm64": { platformKey: "windows_arm64", extension: "dll" },
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

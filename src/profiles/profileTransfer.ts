import { repairProfile, type Profile } from "../schemas/profile.ts";
import { nameTaken } from "../schemas/settings.ts";

// Profiles leave and come back as one JSON file without keys (the native backend keeps those and
// never gives them out). `keyOrigin` stays behind too: it speaks of a key saved on this computer.

export const TRANSFER_FORMAT = "hfmig.endpoint-profiles";
export const TRANSFER_VERSION = 1;
/** A profiles file is a few kilobytes; anything much larger is not one. */
export const TRANSFER_MAX_BYTES = 256 * 1024;

export function exportProfiles(profiles: readonly Profile[]): string {
  const shared = profiles.map(({ keyOrigin: _keyOrigin, ...rest }) => rest);
  return JSON.stringify({ format: TRANSFER_FORMAT, version: TRANSFER_VERSION, profiles: shared }, null, 2);
}

export type ImportProblem = "tooLarge" | "notJson" | "notOurs" | "newerVersion" | "noProfiles";
export type ImportResult =
  | { ok: true; added: Profile[]; conflicts: string[]; skipped: number }
  | { ok: false; problem: ImportProblem };

/**
 * Reads a profiles file against the profiles there are. Nothing is overwritten: a profile whose id
 * or name is taken is left out and named in `conflicts`; a broken one is counted in `skipped`.
 */
export function importProfiles(text: string, existing: readonly Profile[]): ImportResult {
  if (new Blob([text]).size > TRANSFER_MAX_BYTES) return { ok: false, problem: "tooLarge" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: "notJson" };
  }
  const file = parsed as { format?: unknown; version?: unknown; profiles?: unknown } | null;
  if (!file || typeof file !== "object" || file.format !== TRANSFER_FORMAT || !Array.isArray(file.profiles)) return { ok: false, problem: "notOurs" };
  if (typeof file.version !== "number" || file.version > TRANSFER_VERSION) return { ok: false, problem: "newerVersion" };
  const added: Profile[] = [];
  const conflicts: string[] = [];
  let skipped = 0;
  for (const item of file.profiles) {
    const kept = repairProfile(item);
    if (!kept) {
      skipped += 1;
      continue;
    }
    const profile = { ...kept.profile, keyOrigin: "" };
    const all = [...existing, ...added];
    if (all.some((other) => other.id === profile.id) || nameTaken(all, profile.name)) conflicts.push(profile.name);
    else added.push(profile);
  }
  if (added.length + conflicts.length + skipped === 0) return { ok: false, problem: "noProfiles" };
  return { ok: true, added, conflicts, skipped };
}

import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hfPackCore, type HfPackCore } from "../../scripts/lib/hfPack.ts";

// The official packer's column of tests/fixtures/manifests/verdicts.json (the crate's and our own
// rules' columns are judged by native/manifest-check/tests/manifest_corpus.rs).

const corpus = join(import.meta.dirname, "../fixtures/manifests");
interface Verdicts {
  files: Record<string, { official: string; crate: string; own: string; host_follows?: string; why?: string }>;
}
const verdicts = JSON.parse(readFileSync(join(corpus, "verdicts.json"), "utf8")) as Verdicts;
const corpusFiles = ["valid", "invalid"].flatMap((kind) =>
  readdirSync(join(corpus, kind)).filter((file) => file.endsWith(".json")).map((file) => `${kind}/${file}`),
);

/** "accepts, rejects on Windows" → the verdict on this OS. */
const onThisPlatform = (recorded: string) =>
  recorded === "accepts, rejects on Windows" ? (process.platform === "win32" ? "rejects" : "accepts") : recorded;

let packer: HfPackCore;
const scratch: string[] = [];
// The first use builds the packer from the crate package (cargo metadata, copy, transpile).
beforeAll(async () => {
  packer = await hfPackCore();
}, 120_000);
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function officialVerdict(file: string): Promise<{ verdict: string; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), "hfmig-corpus-"));
  scratch.push(dir);
  copyFileSync(join(corpus, file), join(dir, "manifest.json"));
  vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await packer.checkPlugin(dir);
    return { verdict: "accepts" };
  } catch (error) {
    return { verdict: "rejects", error: (error as Error).message };
  }
}

describe("manifest corpus: the official hf-pack check", () => {
  it("has a record for every file and a file for every record", () => {
    expect(Object.keys(verdicts.files).sort()).toEqual(corpusFiles.sort());
  });

  it.each(Object.entries(verdicts.files))("%s: official %s", async (file, record) => {
    const { verdict, error } = await officialVerdict(file);
    expect({ file, verdict, error }).toMatchObject({ file, verdict: onThisPlatform(record.official) });
  });

  it("records which judge the host's install step follows, and why, where the official packer accepts what another judge rejects", () => {
    const packerAcceptsOthersReject = Object.entries(verdicts.files).filter(
      ([, record]) => record.official.startsWith("accepts") && (record.crate === "rejects" || record.own === "rejects"),
    );
    expect(packerAcceptsOthersReject.map(([file]) => file).sort()).toEqual([
      "invalid/entry-styles-windows-absolute.json",
      "invalid/keywords-not-a-list.json",
      "invalid/level0-reserved-module-id.json",
    ]);
    for (const [, record] of packerAcceptsOthersReject) {
      expect(record.host_follows).toBe("crate");
      expect(record.why).toMatch(/host's install step/);
    }
  });
});

import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import nacl from "tweetnacl";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOwnCheck, pluginDir, repoRoot, runScript, SCRIPT_TEST_TIMEOUT_MS } from "./helpers.ts";

const manifest = JSON.parse(readFileSync(join(repoRoot, "manifest.json"), "utf8"));
const packageName = "dev.haloforge.managed-image-gateway-0.1.0.hfpkg";
// A plugin folder with a prebuilt frontend and no backend: the official packer packs it as is.
const built = {
  "dist/index.js": "registerPlugin()",
  "dist/styles.css": ".hfmig-root{}",
  "assets/icon.svg": "<svg/>",
  LICENSE: "MIT",
};
const withoutNative = { ...manifest, entry: { frontend: "dist/index.js", frontend_styles: "dist/styles.css" } };

beforeAll(buildOwnCheck, 300_000);

describe("npm run plugin:pack", { timeout: SCRIPT_TEST_TIMEOUT_MS }, () => {
  it("packs with the official hf-pack: <id>-<version>.hfpkg with the host's layout and its .sha256", () => {
    const dir = pluginDir(built, withoutNative);
    const result = runScript("plugin-pack.ts", dir, ["--no-frontend"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Created ${join(dir, "dist", packageName)}`);

    const zip = readFileSync(join(dir, "dist", packageName));
    const digest = createHash("sha256").update(zip).digest("hex");
    expect(readFileSync(join(dir, "dist", `${packageName}.sha256`), "utf8")).toBe(`${digest}  ${packageName}\n`);
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(["LICENSE", "assets/icon.svg", "dist/index.js", "dist/styles.css", "manifest.json"]);
    expect(JSON.parse(strFromU8(entries["manifest.json"]!))).toEqual(withoutNative);
  });

  it("refuses a manifest that fails the official check", () => {
    const result = runScript("plugin-pack.ts", pluginDir(built, { ...withoutNative, id: "" }), ["--no-frontend"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error: manifest.id is required");
    expect(result.stderr).toContain("refusing to pack");
  });

  it("refuses a manifest the official check accepts but the host's crate types reject", () => {
    const result = runScript("plugin-pack.ts", pluginDir(built, { ...withoutNative, keywords: "image" }), ["--no-frontend"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("[crate] keywords:");
    expect(result.stderr).toContain("refusing to pack");
  });

  it("refuses --no-backend, which would pack native/ sources and target/", () => {
    const result = runScript("plugin-pack.ts", pluginDir(built, withoutNative), ["--no-backend"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--no-backend packs all of native/");
  });
});

describe("npm run hf-pack -- metadata (the release workflow's catalog draft)", { timeout: SCRIPT_TEST_TIMEOUT_MS }, () => {
  it("writes a draft for the package, signed with the key from the environment", () => {
    const dir = pluginDir(built, withoutNative);
    expect(runScript("plugin-pack.ts", dir, ["--no-frontend"]).status).toBe(0);
    const seed = randomBytes(32);
    const packagePath = join(dir, "dist", packageName);
    const result = runScript("hf-pack.ts", dir, [
      "metadata", packagePath,
      "--artifact-url", `https://example.invalid/releases/v0.1.0/${packageName}`,
      "--source", "official",
      "--signing-key-id", "release-key-1",
      "--signing-key-env", "RELEASE_TEST_SIGNING_KEY",
      "--output", join(dir, "catalog-draft.json"),
    ], { RELEASE_TEST_SIGNING_KEY: seed.toString("base64") });
    expect(result.status, result.stderr).toBe(0);

    const draft = JSON.parse(readFileSync(join(dir, "catalog-draft.json"), "utf8"));
    const zip = readFileSync(packagePath);
    const sha256 = createHash("sha256").update(zip).digest("hex");
    expect(draft.item).toMatchObject({ id: manifest.id, name: manifest.name, source: "official" });
    expect(draft.version).toMatchObject({ version: "0.1.0", sha256, artifact_size: zip.length, signing_key_id: "release-key-1", signature_algorithm: "ed25519" });
    // What the catalog verifies: an ed25519 signature over these fields, by the key's public half.
    const signed = JSON.stringify({ kind: "plugin", id: manifest.id, version: "0.1.0", sha256, artifact_size: zip.length, min_app_version: manifest.compatibility.min_app_version });
    const { publicKey } = nacl.sign.keyPair.fromSeed(seed);
    expect(nacl.sign.detached.verify(Buffer.from(signed), Buffer.from(draft.version.signature, "base64"), publicKey)).toBe(true);
    expect(readFileSync(join(dir, "catalog-draft.json"), "utf8")).not.toContain(seed.toString("base64"));
  });
});

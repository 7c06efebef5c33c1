import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { linkedCrates, NOTICE_PATH, thirdPartyNotice } from "../../scripts/lib/thirdPartyLicenses.ts";
import { repoRoot, SCRIPT_TEST_TIMEOUT_MS } from "./helpers.ts";

describe("the licence notice of the crates in the plugin library", { timeout: SCRIPT_TEST_TIMEOUT_MS }, () => {
  it("is committed as Cargo.lock gives it, so the package ships a current notice", () => {
    expect(readFileSync(join(repoRoot, NOTICE_PATH), "utf8")).toBe(thirdPartyNotice(repoRoot));
  });

  it("lists what the library links on every shipped platform, and no dev-only crate or procedural macro", () => {
    const names = new Set(linkedCrates(repoRoot).map((pkg) => pkg.name));
    for (const linked of ["reqwest", "rustls", "ring", "serde_json", "tokio", "keyring-core", "dbus-secret-service-keyring-store", "windows-native-keyring-store", "apple-native-keyring-store"]) {
      expect(names, linked).toContain(linked);
    }
    for (const notLinked of ["managed-image-gateway", "fake-provider", "proptest", "tempfile", "serde_derive", "pkg-config", "aws-lc-rs"]) {
      expect(names, notLinked).not.toContain(notLinked);
    }
  });

  it("carries each crate's own licence text", () => {
    const notice = readFileSync(join(repoRoot, NOTICE_PATH), "utf8");
    expect(notice).toMatch(/^- ring 0\.17\.\d+: Apache-2\.0 AND ISC/m);
    expect(notice).toMatch(/Used by: [^\n]*\bring 0\.17\.\d+ \(LICENSE\)/);
    expect(notice).toContain("Permission is hereby granted, free of charge");
  });
});

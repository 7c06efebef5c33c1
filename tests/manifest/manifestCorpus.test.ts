import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manifestProblems } from "../../src/schemas/manifest.ts";

const corpus = join(import.meta.dirname, "../fixtures/manifests");
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));
const filesOf = (kind: "valid" | "invalid") => readdirSync(join(corpus, kind)).filter((file) => file.endsWith(".json"));

describe("manifest corpus (the Rust test in native/ judges the same files)", () => {
  it("has at least 4 valid and 15 invalid cases", () => {
    expect(filesOf("valid").length).toBeGreaterThanOrEqual(4);
    expect(filesOf("invalid").length).toBeGreaterThanOrEqual(15);
  });

  it.each(filesOf("valid"))("accepts valid/%s", (file) => {
    expect(manifestProblems(readJson(join(corpus, "valid", file)))).toEqual([]);
  });

  it.each(filesOf("invalid"))("rejects invalid/%s with a path: message problem", (file) => {
    const problems = manifestProblems(readJson(join(corpus, "invalid", file)));
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^[\w.]+: \S/);
  });

  it("accepts the repository's own manifest.json", () => {
    expect(manifestProblems(readJson(join(import.meta.dirname, "../../manifest.json")))).toEqual([]);
  });
});

describe("manifest problems", () => {
  const valid = readJson(join(corpus, "valid/minimal.json")) as Record<string, unknown>;

  it("lists every problem, not only the first", () => {
    const problems = manifestProblems({ ...valid, version: "1", capability_levels: [7], name: "", host_capabilities: ["x"] });
    expect(problems).toEqual([
      "name: must not be blank",
      "version: must be a semantic version X.Y.Z[-pre][+build]",
      "capability_levels.0: must be an integer from 0 to 4 (the packer rejects higher levels)",
      'host_capabilities.0: must be one of navigation, app_state, file_intents, file_dialogs, aichat, enterprise_gateway, deep_links, theme_read, event_subscribe, not "x"',
    ]);
  });

  it("names missing required fields", () => {
    expect(manifestProblems({})).toEqual([
      "id: is required",
      "name: is required",
      "version: is required",
      "description: is required",
      "author: is required",
      "compatibility: is required",
      "capability_levels: is required",
    ]);
  });

  it("points a misspelled aichat permission at the right name", () => {
    expect(manifestProblems({ ...valid, permissions: [{ type: "host_a_i_chat_access" }] })).toEqual([
      'permissions.0.type: unknown permission "host_a_i_chat_access"; did you mean "host_aichat_access"?',
    ]);
  });

  it("accepts semver with pre-release and build metadata but not a leading v", () => {
    expect(manifestProblems({ ...valid, version: "1.0.0-rc.1+sha.5" })).toEqual([]);
    expect(manifestProblems({ ...valid, version: "v1.0.0" })).toHaveLength(1);
  });

  it("ignores unknown keys such as $schema, as the host does", () => {
    expect(manifestProblems({ ...valid, $schema: "x", future_field: { a: 1 } })).toEqual([]);
  });

  it("rejects a unit permission that carries a value", () => {
    expect(manifestProblems({ ...valid, permissions: [{ type: "network_http", value: ["example.com"] }] })).toEqual([
      'permissions.0.value: "network_http" takes no value',
    ]);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const walk = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");
const steps = walk.split("\n").filter((line) => /^\d+\. /.test(line));

describe("ARCHITECTURE.md", () => {
  it("numbers its steps in order, each naming the one file that owns it", () => {
    expect(steps.length).toBeGreaterThan(10);
    steps.forEach((step, index) => {
      expect(step.startsWith(`${index + 1}. `)).toBe(true);
      expect(step.match(/ — `[^`]+`/g), step).toHaveLength(1);
    });
  });

  it("names only files that exist", () => {
    const named = [...walk.matchAll(/`((?:src|machines|native|packages|scripts)\/[^`\s]+\.(?:ts|vue|rs))`/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThanOrEqual(steps.length);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});

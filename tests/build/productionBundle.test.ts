// What must never ship in the production bundle (npm run build writes dist/).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const dist = join(import.meta.dirname, "../../dist");
const outputs = () => readdirSync(dist).filter((file) => /\.(?:js|css|map)$/.test(file));
const read = (file: string) => readFileSync(join(dist, file), "utf8");

beforeAll(() => {
  if (!existsSync(join(dist, "index.js"))) throw new Error("dist/index.js is missing: run npm run build before the tests.");
});

describe("the production bundle", () => {
  it("contains no mock-gateway code or label", () => {
    for (const file of outputs()) {
      // The label, the dev-only mode and reason strings, and the mock's drawn images (SVG data URLs).
      expect(read(file), file).not.toMatch(/Mock gateway|gateway\.mode\.mock|Auto chose the mock|image\/svg\+xml|callMockGateway/);
    }
  });

  it("contains no eval or Function constructor call", () => {
    const code = read("index.js");
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/new\s+Function\s*\(/);
    expect(code).not.toMatch(/\bFunction\s*\(\s*["'`]/);
  });

  it("ships no source map with absolute paths", () => {
    for (const file of outputs().filter((name) => name.endsWith(".map"))) {
      expect(read(file), file).not.toMatch(/"(?:\/|[A-Za-z]:\\\\)(?:home|root|work|Users|tmp)/);
    }
    expect(read("index.js")).not.toMatch(/sourceMappingURL=data:/);
  });

  it("contains no test data, test tooling or test hooks", () => {
    for (const file of outputs()) {
      expect(read(file), file).not.toMatch(/vitest|@vue\/test-utils|fast-check|tests\/fixtures|IS_REACT_ACT_ENVIRONMENT|data-testid/);
    }
    // The development bundle the browser tests drive keeps its hooks (npm run build:e2e writes it).
    expect(readFileSync(join(dist, "../dist-dev/index.js"), "utf8")).toContain("data-testid");
  });

  it("contains no string that looks like a key or token", () => {
    const keyLike = [
      /\bsk-[A-Za-z0-9_-]{16,}/,
      /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/,
      /\bAKIA[0-9A-Z]{16}\b/,
      /\bgh[pousr]_[A-Za-z0-9]{30,}/,
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    ];
    for (const file of outputs()) for (const pattern of keyLike) expect(read(file), file).not.toMatch(pattern);
  });
});

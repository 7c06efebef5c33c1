import { describe, expect, it } from "vitest";
import { checkBaseUrl } from "../../src/endpoint/baseUrl.ts";
import { safeImageSource } from "../../src/adapters/outputUrl.ts";
import { DEFAULT_SETTINGS, repairSettings } from "../../src/schemas/settings.ts";

describe("persisted settings", () => {
  it("repair invalid fields one by one and keep the valid ones", () => {
    const { settings, repaired } = repairSettings({ mode: "custom", baseUrl: "https://x.example/v1", concurrency: 99, timeoutSeconds: "soon", apiKey: "sk-should-vanish" });
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, mode: "custom", baseUrl: "https://x.example/v1" });
    expect(repaired.sort()).toEqual(["concurrency", "timeoutSeconds"]);
    expect(JSON.stringify(settings)).not.toContain("sk-should-vanish");
  });

  it("start with previews off and keep valid streaming and price settings, repairing bad ones alone", () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ streamPartials: false, prices: "" });
    const kept = repairSettings({ streamPartials: true, partialImages: 3, prices: "gpt-image-1 4 8 32" });
    expect(kept).toEqual({ settings: { ...DEFAULT_SETTINGS, streamPartials: true, partialImages: 3, prices: "gpt-image-1 4 8 32" }, repaired: [] });
    const bad = repairSettings({ streamPartials: true, partialImages: 4, prices: "gpt-image-1 4 8" });
    expect(bad.settings).toEqual({ ...DEFAULT_SETTINGS, streamPartials: true });
    expect(bad.repaired.sort()).toEqual(["partialImages", "prices"]);
  });

  it("fall back to the defaults for anything that is not an object", () => {
    expect(repairSettings("garbage")).toEqual({ settings: DEFAULT_SETTINGS, repaired: [] });
    expect(repairSettings(null).settings).toEqual(DEFAULT_SETTINGS);
  });
});

describe("custom endpoint base URL", () => {
  it.each([
    ["api.example.com", "https://api.example.com/v1"],
    ["https://api.example.com/v1/", "https://api.example.com/v1"],
    ["https://gw.example.com/openai/v1/images/generations", "https://gw.example.com/openai/v1"],
    ["https://az.example.com/openai?api-version=2025-04-01", "https://az.example.com/openai?api-version=2025-04-01"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"],
  ])("normalizes %s", (raw, normalized) => {
    expect(checkBaseUrl(raw, false)).toEqual({ ok: true, normalized });
  });

  it.each([
    ["", "empty"],
    ["ftp://files.example.com", "scheme"],
    ["https://me:secret@api.example.com", "credentials"],
    ["http://api.example.com/v1", "insecureHttp"],
    ["https://", "notUrl"],
  ])("rejects %j with a specific problem", (raw, problem) => {
    expect(checkBaseUrl(raw, false)).toEqual({ ok: false, problem });
  });

  it("allows remote plain http only when the user opted in", () => {
    expect(checkBaseUrl("http://gpu-box.lan:8000/v1", true)).toEqual({ ok: true, normalized: "http://gpu-box.lan:8000/v1" });
  });
});

describe("output image sources", () => {
  it.each([
    ["https://cdn.example.com/img.png", "https://cdn.example.com/img.png"],
    ["http://127.0.0.1:9000/out/1.png", "http://127.0.0.1:9000/out/1.png"],
    ["data:image/png;base64,iVBORw0KGgo=", "data:image/png;base64,iVBORw0KGgo="],
  ])("accepts %s", (candidate, expected) => {
    expect(safeImageSource(candidate)).toBe(expected);
  });

  it.each(["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd", "http://evil.example.com/x.png", "https://u:p@cdn.example.com/x.png", "not a url"])(
    "refuses %s",
    (candidate) => {
      expect(safeImageSource(candidate)).toBeUndefined();
    },
  );
});

import { describe, expect, it } from "vitest";
import { checkBaseUrl } from "../../src/endpoint/baseUrl.ts";
import { safeImageSource } from "../../src/adapters/outputUrl.ts";
import { PROFILE_DEFAULTS, type Profile } from "../../src/schemas/profile.ts";
import { DEFAULT_GLOBALS, repairSettings } from "../../src/schemas/settings.ts";

const first = (): Profile => ({ ...PROFILE_DEFAULTS, id: "default", name: "Custom endpoint" });
const profile = (fields: Partial<Profile>) => ({ ...first(), ...fields });

describe("persisted settings", () => {
  it("repair invalid fields one by one, globals and each profile's alike, and keep the valid ones", () => {
    const stored = {
      gateway: "profile:default",
      concurrency: 99,
      profiles: [{ ...profile({ baseUrl: "https://x.example/v1" }), timeoutSeconds: "soon", apiKey: "sk-should-vanish" }],
    };
    const { settings, repaired } = repairSettings(stored, first);
    expect(settings).toEqual({ ...DEFAULT_GLOBALS, gateway: "profile:default", profiles: [profile({ baseUrl: "https://x.example/v1" })] });
    expect(repaired.sort()).toEqual(["concurrency", "profiles.timeoutSeconds"]);
    expect(JSON.stringify(settings)).not.toContain("sk-should-vanish");
  });

  it("start with previews off and keep valid streaming and price settings, repairing bad ones alone", () => {
    expect(first()).toMatchObject({ streamPartials: false, prices: "" });
    const kept = repairSettings({ profiles: [profile({ streamPartials: true, partialImages: 3, prices: "gpt-image-1 4 8 32" })] }, first);
    expect(kept).toEqual({ settings: { ...DEFAULT_GLOBALS, profiles: [profile({ streamPartials: true, partialImages: 3, prices: "gpt-image-1 4 8 32" })] }, repaired: [] });
    const bad = repairSettings({ profiles: [{ ...profile({ streamPartials: true }), partialImages: 4, prices: "gpt-image-1 4 8" }] }, first);
    expect(bad.settings.profiles).toEqual([profile({ streamPartials: true })]);
    expect(bad.repaired.sort()).toEqual(["profiles.partialImages", "profiles.prices"]);
  });

  it("fall back to the defaults and one first profile for anything that is not an object", () => {
    expect(repairSettings("garbage", first)).toEqual({ settings: { ...DEFAULT_GLOBALS, profiles: [first()] }, repaired: [] });
    expect(repairSettings(null, first).settings).toEqual({ ...DEFAULT_GLOBALS, profiles: [first()] });
  });

  it("drop a profile without an id or name, or repeating another's, and send a choice of a missing profile back to Auto", () => {
    const { settings, repaired } = repairSettings(
      { gateway: "profile:gone", defaultProfileId: "gone", profiles: [profile({ id: "a", name: "Relay" }), profile({ id: "b", name: " relay " }), { name: "No id" }, profile({ id: "c", name: "Azure" })] },
      first,
    );
    expect(settings.profiles.map((each) => each.id)).toEqual(["a", "c"]);
    expect(settings.gateway).toBe("auto");
    expect(settings.defaultProfileId).toBe("a");
    expect(repaired.sort()).toEqual(["defaultProfileId", "gateway", "profiles"]);
  });

  it("keep an emptied profile list empty: the user deleted them all", () => {
    expect(repairSettings({ profiles: [] }, first).settings.profiles).toEqual([]);
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

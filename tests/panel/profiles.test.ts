import { describe, expect, it } from "vitest";
import { checkBaseUrl } from "../../src/endpoint/baseUrl.ts";
import { endpointWire } from "../../src/endpoint/endpointWire.ts";
import { suggestedModels } from "../../src/endpoint/models.ts";
import { endpointOf } from "../../src/profiles/endpointOf.ts";
import { headersText, parseHeaders } from "../../src/profiles/extraHeaders.ts";
import { splitPastedUrl } from "../../src/profiles/pastedUrl.ts";
import { AUTH_TO_WIRE, placeholderIn, PROFILE_PRESETS, presetOf } from "../../src/profiles/presets.ts";
import { profileFromPreset } from "../../src/profiles/profileFromPreset.ts";
import { exportProfiles, importProfiles, TRANSFER_FORMAT } from "../../src/profiles/profileTransfer.ts";
import { originOf, upgradeLegacySettings } from "../../src/profiles/upgrade.ts";
import { PROFILE_DEFAULTS, ProfileSchema, type Profile } from "../../src/schemas/profile.ts";

const profile = (fields: Partial<Profile> = {}): Profile => ({ ...PROFILE_DEFAULTS, id: "default", name: "Custom endpoint", ...fields });

describe("upgrade from the settings before profiles", () => {
  const old = {
    mode: "custom",
    baseUrl: "https://relay.example/v1",
    apiType: "responses",
    allowInsecureHttp: false,
    responsesModel: "gpt-4.1-mini",
    defaultModel: "gpt-image-1",
    defaultSize: "1536x1024",
    timeoutSeconds: 120,
    maxRetries: 4,
    concurrency: 3,
    streamPartials: true,
    partialImages: 2,
    prices: "gpt-image-1 4 8 32",
  };

  it("make every stored field the profile \"default\" or a global, losing nothing, and wait to move the old key to it", () => {
    const { settings, repaired } = upgradeLegacySettings(old, "Custom endpoint");
    expect(repaired).toEqual([]);
    expect(settings).toMatchObject({ gateway: "profile:default", defaultProfileId: "default", maxRetries: 4, concurrency: 3, legacyKeyProfileId: "default" });
    expect(settings.profiles).toEqual([
      profile({
        baseUrl: "https://relay.example/v1",
        dialect: "responses",
        responsesModel: "gpt-4.1-mini",
        defaultModel: "gpt-image-1",
        defaultSize: "1536x1024",
        timeoutSeconds: 120,
        streamPartials: true,
        partialImages: 2,
        prices: "gpt-image-1 4 8 32",
      }),
    ]);
    expect(ProfileSchema.safeParse(settings.profiles[0]).success).toBe(true);
  });

  it.each([
    ["auto", "auto"],
    ["cloud", "cloud"],
    ["mock", "mock"],
  ])("keep the mode %s as the gateway choice", (mode, choice) => {
    expect(upgradeLegacySettings({ ...old, mode }, "x").settings.gateway).toBe(choice);
  });

  it("repair a broken old field alone and keep the rest", () => {
    const { settings, repaired } = upgradeLegacySettings({ ...old, timeoutSeconds: "soon", apiKey: "sk-old" }, "x");
    expect(repaired).toEqual(["timeoutSeconds"]);
    expect(settings.profiles[0]).toMatchObject({ timeoutSeconds: 300, baseUrl: "https://relay.example/v1" });
    expect(JSON.stringify(settings)).not.toContain("sk-old");
  });

  it("name the origin a key is bound to, or none for a URL that breaks the rules", () => {
    expect(originOf("relay.example/v1/images/generations", false)).toBe("https://relay.example");
    expect(originOf("http://relay.example/v1", false)).toBe("");
  });
});

describe("presets", () => {
  it("use the catalog's auth types and give each profile the native wire's auth", () => {
    for (const preset of PROFILE_PRESETS) {
      expect(["bearer", "header-api-key", "x-goog-api-key", "none"]).toContain(preset.authType);
      const made = profileFromPreset(preset, "p-1", "Made");
      expect(ProfileSchema.safeParse(made).success, preset.id).toBe(true);
      expect(made.auth).toBe(AUTH_TO_WIRE[preset.authType]);
    }
    expect(presetOf("azure-openai")).toMatchObject({ baseUrl: "https://{resource}.openai.azure.com/openai/v1", authType: "header-api-key" });
    expect(presetOf("azure-openai-classic")).toMatchObject({ dialect: "azure", apiVersion: "2025-04-01-preview" });
    expect(presetOf("openrouter")).toMatchObject({ dialect: "chat", apiCompatibility: "openai-chat" });
  });

  it("say which fields their provider takes", () => {
    expect(presetOf("xai").fields).toMatchObject({ sizes: "ratio", ratioTerms: { resolutions: ["1k", "2k"] }, quality: false });
    expect(presetOf("xai").fields.ratioTerms?.models).toBeUndefined();
    expect(presetOf("openrouter").fields).toMatchObject({ sizes: "ratio", ratioTerms: { resolutions: ["1K", "2K", "4K"], models: ["google/gemini-"] } });
    expect(presetOf("volcengine-ark").fields).toMatchObject({ sizes: "tiers", sizeChoices: ["2K", "4K"] });
    expect(presetOf("google-gemini").fields).toMatchObject({ quality: false, outputFormat: false, background: false, edits: false });
    expect(presetOf("siliconflow").fields).toMatchObject({ seed: true, negativePrompt: true });
    expect(presetOf("unknown-id").id).toBe("openai-compatible");
  });
});

describe("the endpoint a request captures", () => {
  it("carry the native wire's fields, the deployment only on Azure's classic form, and the provider's fields", () => {
    const azure = profile({ id: "az", name: "Work Azure", preset: "azure-openai-classic", baseUrl: "https://res.openai.azure.com/openai", dialect: "azure", auth: "api-key", deployment: "img", apiVersion: "2025-04-01-preview", extraHeaders: { "X-Team": "art" } });
    const endpoint = endpointOf(azure, checkBaseUrl(azure.baseUrl, false));
    expect(endpointWire(endpoint)).toEqual({
      profileId: "az",
      baseUrl: "https://res.openai.azure.com/openai",
      dialect: "azure",
      auth: "api-key",
      deployment: "img",
      apiVersion: "2025-04-01-preview",
      editUpload: "multipart",
      allowInsecureHttp: false,
      extraHeaders: { "X-Team": "art" },
    });
    expect(endpoint.profileName).toBe("Work Azure");
    const images = endpointOf({ ...azure, dialect: "images" }, checkBaseUrl(azure.baseUrl, false));
    expect(images.deployment).toBeUndefined();
  });

  it("stream only where the provider streams", () => {
    const xai = profile({ preset: "xai", streamPartials: true, partialImages: 2 });
    expect(endpointOf(xai, checkBaseUrl("https://api.x.ai/v1", false)).partialImages).toBeUndefined();
    expect(endpointOf({ ...xai, preset: "openai" }, checkBaseUrl("https://api.openai.com/v1", false)).partialImages).toBe(2);
  });
});

describe("a pasted URL", () => {
  it("split Azure's Target URI into base URL, deployment and API version, with Azure's dialect and key header", () => {
    expect(splitPastedUrl("https://res.openai.azure.com/openai/deployments/gpt-image-1/images/generations?api-version=2025-04-01-preview")).toEqual({
      baseUrl: "https://res.openai.azure.com/openai",
      deployment: "gpt-image-1",
      apiVersion: "2025-04-01-preview",
      dialect: "azure",
      auth: "api-key",
      moved: ["operation", "deployment", "apiVersion"],
    });
  });

  it("drop an operation suffix alone", () => {
    expect(splitPastedUrl("https://relay.example/v1/images/edits")).toEqual({ baseUrl: "https://relay.example/v1", moved: ["operation"] });
    expect(splitPastedUrl("https://openrouter.ai/api/v1/chat/completions")).toEqual({ baseUrl: "https://openrouter.ai/api/v1", moved: ["operation"] });
  });

  it("keep a plain base URL and anything unparsable as typed", () => {
    expect(splitPastedUrl("https://api.openai.com/v1")).toEqual({ baseUrl: "https://api.openai.com/v1", moved: [] });
    expect(splitPastedUrl("not a url at all")).toEqual({ baseUrl: "not a url at all", moved: [] });
  });
});

describe("extra headers", () => {
  it("read one Name: value per line and write them back the same way", () => {
    const parsed = parseHeaders("X-Team: art\n\nOpenAI-Organization: org-1\n");
    expect(parsed).toEqual({ ok: true, headers: { "X-Team": "art", "OpenAI-Organization": "org-1" } });
    expect(headersText({ "X-Team": "art" })).toBe("X-Team: art");
  });

  it.each([
    ["Authorization: Bearer sk-1", 1],
    ["X-Ok: 1\napi-key: abc", 2],
    ["x-goog-api-key: abc", 1],
    ["Cookie: a=b", 1],
    ["no colon here", 1],
    ["X-Ok: 1\nBad Name: 2", 2],
  ])("refuse %j at line %i: credentials never travel as extra headers", (text, line) => {
    expect(parseHeaders(text)).toEqual({ ok: false, line });
  });
});

describe("profiles export and import", () => {
  const mine = [profile({ id: "a", name: "Relay", baseUrl: "https://relay.example/v1", keyOrigin: "https://relay.example" })];

  it("export without keys or key origins, and import a file back as new profiles", () => {
    const text = exportProfiles(mine);
    expect(text).not.toContain("keyOrigin");
    expect(JSON.parse(text)).toMatchObject({ format: TRANSFER_FORMAT, version: 1 });
    const result = importProfiles(text, []);
    expect(result).toEqual({ ok: true, added: [{ ...mine[0], keyOrigin: "" }], conflicts: [], skipped: 0 });
  });

  it("never overwrite: a taken id or name is reported and left out, a broken profile counted", () => {
    const file = JSON.stringify({
      format: TRANSFER_FORMAT,
      version: 1,
      profiles: [profile({ id: "a", name: "Other" }), profile({ id: "b", name: "relay" }), profile({ id: "c", name: "New" }), { id: "bad id!", name: "x" }],
    });
    const result = importProfiles(file, mine);
    expect(result).toMatchObject({ ok: true, conflicts: ["Other", "relay"], skipped: 1 });
    expect(result.ok && result.added.map((each) => each.id)).toEqual(["c"]);
  });

  it.each([
    ["x".repeat(300 * 1024), "tooLarge"],
    ["{ not json", "notJson"],
    [JSON.stringify({ profiles: [] }), "notOurs"],
    [JSON.stringify([1, 2]), "notOurs"],
    [JSON.stringify({ format: TRANSFER_FORMAT, version: 9, profiles: [] }), "newerVersion"],
    [JSON.stringify({ format: TRANSFER_FORMAT, version: 1, profiles: [] }), "noProfiles"],
  ])("refuse a file that is not ours or too large with its own problem (%#)", (text, problem) => {
    expect(importProfiles(text, mine)).toEqual({ ok: false, problem });
  });
});

describe("models a profile lists", () => {
  it("suggest the image models where the listing says which are, else every model it does not rule out", () => {
    expect(suggestedModels([{ id: "gpt-4.1", image: false }, { id: "gpt-image-1", image: true }, { id: "other", image: null }])).toEqual(["gpt-image-1"]);
    expect(suggestedModels([{ id: "gpt-4.1", image: false }, { id: "flux", image: null }])).toEqual(["flux"]);
    expect(suggestedModels([])).toEqual([]);
  });
});

describe("a preset's placeholder", () => {
  it("is named until the user fills it in", () => {
    expect(placeholderIn(presetOf("azure-openai").baseUrl)).toBe("{resource}");
    expect(placeholderIn("https://res.openai.azure.com/openai/v1")).toBeUndefined();
  });
});

// @vitest-environment jsdom
// The settings say where the native backend keeps the key (system keychain / plugin data file,
// and why a key is in the file or cannot be read), in both languages, and never show the key.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import SettingsPanel from "../../src/components/SettingsPanel.vue";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { type Locale } from "../../src/i18n/i18n.ts";
import { adoptLegacyKey, apiKeyStatus, saveApiKey } from "../../src/endpoint/apiKey.ts";

afterEach(() => {
  clearMocks();
  localStorage.clear();
});

/** The native backend answering every key command with `status`. */
function answerKeyCommands(status: unknown) {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => status);
}

async function keyPlaceText(locale: Locale, status: unknown) {
  answerKeyCommands(status);
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale }))] } });
  await flushPromises();
  const place = wrapper.find('[data-testid="key-place"]');
  const text = place.exists() ? place.text() : undefined;
  wrapper.unmount();
  return text;
}

describe("where the key is kept", () => {
  it.each([
    ["en", { ok: true, apiKeySet: true, storage: "keychain" }, "Kept in the system keychain."],
    ["zh", { ok: true, apiKeySet: true, storage: "keychain" }, "保存在系统钥匙串中。"],
    ["en", { ok: true, apiKeySet: true, storage: "file" }, "Kept in the plugin data file (owner-only)."],
    ["zh", { ok: true, apiKeySet: true, storage: "file" }, "保存在插件数据文件中（仅本用户可读）。"],
    ["en", { ok: true, apiKeySet: true, storage: "file", notice: "keychain_unavailable" }, "Kept in the plugin data file (owner-only): no system keychain was available."],
    ["en", { ok: true, apiKeySet: false, notice: "key_unreadable" }, "The stored key could not be read. Save it again."],
    ["zh", { ok: true, apiKeySet: false, notice: "key_unreadable" }, "无法读取已保存的密钥，请重新保存。"],
  ] as const)("%s %j → %s", async (locale, status, expected) => {
    expect(await keyPlaceText(locale, status)).toBe(expected);
  });

  it("says nothing about a place when no key is stored", async () => {
    expect(await keyPlaceText("en", { ok: true, apiKeySet: false })).toBeUndefined();
  });

  it("treats an unknown storage value as an unexpected answer", async () => {
    answerKeyCommands({ ok: true, apiKeySet: true, storage: "localStorage" });
    expect(await apiKeyStatus("default")).toEqual({ ok: false, error: { key: "connection.unexpected" } });
  });
});

describe("what a refused key command says", () => {
  it("names what is wrong with a key the backend refused for its shape, never its own sentence", async () => {
    answerKeyCommands({ ok: false, error: { code: "invalid_request", reason: "api_key_format", message: "The API key must be 4-4096 visible characters without spaces.", sent: false, may_have_run: false } });
    expect(await saveApiKey("default", "https://api.example.com/v1", "sk with spaces")).toEqual({ ok: false, error: { key: "key.format" } });
  });

  it("says the key could not be saved when the command itself fails, without the backend's text", async () => {
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    mockIPC(() => {
      throw new Error("IO error: The API key could not be stored: keyring locked.");
    });
    expect(await saveApiKey("default", "https://api.example.com/v1", "sk-valid-key-1234")).toEqual({ ok: false, error: { key: "key.saveFailed" } });
  });
});

describe("the settings upgrade's adoption of the earlier key", () => {
  it("asks once for the profile and the base URL the key was used with, and reads only whether it was adopted", async () => {
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    const sent: unknown[] = [];
    mockIPC((_command, payload) => {
      const { wire_name: wireName = "", args } = (payload as { args?: { wire_name?: string; args?: unknown } } | undefined)?.args ?? {};
      sent.push([wireName.replace(/^.*_(adopt_legacy_key)$/, "$1"), args]);
      return { ok: true, adopted: true, storage: "file" };
    });
    expect(await adoptLegacyKey("default", "https://api.example.com/v1")).toEqual({ adopted: true });
    expect(sent).toEqual([["adopt_legacy_key", { profileId: "default", baseUrl: "https://api.example.com/v1" }]]);
  });

  it("reports a failed or unexpected answer as not known, so the key stays for a later try", async () => {
    answerKeyCommands({ ok: true, adopted: "yes" });
    expect(await adoptLegacyKey("default", "https://api.example.com/v1")).toBeUndefined();
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    mockIPC(() => {
      throw new Error("IO error: The earlier API key could not be moved.");
    });
    expect(await adoptLegacyKey("default", "https://api.example.com/v1")).toBeUndefined();
  });
});

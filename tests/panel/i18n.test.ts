import { describe, expect, it } from "vitest";
import { ref } from "vue";
import { en } from "../../src/i18n/en.ts";
import { createTranslator, hostLocale } from "../../src/i18n/i18n.ts";
import { zh } from "../../src/i18n/zh.ts";
import { FAILURE_HINTS, REASONS, FIXES } from "../../machines/index.ts";

describe("translations", () => {
  it("define the same keys in English and Chinese, none empty except the cancelled hint", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(zh)) if (key !== "hint.cancelled") expect(value, key).not.toBe("");
  });

  it("cover every reason, fix and hint the machines can produce (mock strings are dev-only)", () => {
    for (const reason of Object.keys(REASONS).filter((key) => key !== "mockInDevelopment")) expect(en).toHaveProperty(`reason.${reason}`);
    for (const fix of Object.keys(FIXES)) expect(en).toHaveProperty(`fix.${fix}`);
    for (const hint of Object.keys(FAILURE_HINTS)) expect(en).toHaveProperty(`hint.${hint}`);
  });

  it("never says Enterprise gateway", () => {
    for (const text of [...Object.values(en), ...Object.values(zh)]) expect(text).not.toMatch(/enterprise gateway|enterprise required/i);
  });

  it("follows the host's locale key, then the browser language", () => {
    const storage = (value: string | null) => ({ getItem: () => value });
    expect(hostLocale(storage("zh"), "en-US")).toBe("zh");
    expect(hostLocale(storage("en"), "zh-CN")).toBe("en");
    expect(hostLocale(storage(null), "zh-TW")).toBe("zh");
    expect(hostLocale(undefined, "fr")).toBe("en");
  });

  it("fills parameters and switches language live", () => {
    const locale = ref<"en" | "zh">("en");
    const { t } = createTranslator(locale);
    expect(t("requests.retryIn", { seconds: 12 })).toBe("retrying in 12 s");
    locale.value = "zh";
    expect(t("requests.retryIn", { seconds: 12 })).toBe("12 秒后重试");
  });
});

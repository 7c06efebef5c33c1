import { describe, expect, it } from "vitest";
import { ref } from "vue";
import { createTranslator, hostLocale } from "../../src/i18n/i18n.ts";
import { MESSAGES } from "../../src/i18n/messages.ts";
import { FAILURE_HINTS, FIX_KEYS, GATEWAY_LABEL_KEYS, INPUT_RULES, REASON_KEYS } from "../../machines/index.ts";

describe("translations", () => {
  it("give every key an English and a Chinese text, none empty except the cancelled and signed-out hints", () => {
    for (const [key, texts] of Object.entries(MESSAGES)) {
      expect(texts, key).toHaveLength(2);
      // A signed-out card adds no hint: the gateway status says how to get back in, once.
      if (key !== "hint.cancelled" && key !== "hint.signed_out") for (const text of texts) expect(text, key).not.toBe("");
    }
  });

  it("cover every label, reason, fix and hint the machines can produce (mock strings are dev-only)", () => {
    for (const label of GATEWAY_LABEL_KEYS.filter((key) => key !== "mock")) expect(MESSAGES).toHaveProperty([`gateway.label.${label}`]);
    for (const reason of REASON_KEYS.filter((key) => key !== "mockInDevelopment" && key !== "mockSignedOut")) expect(MESSAGES).toHaveProperty([`reason.${reason}`]);
    for (const fix of FIX_KEYS) expect(MESSAGES).toHaveProperty([`fix.${fix}`]);
    for (const hint of Object.keys(FAILURE_HINTS)) expect(MESSAGES).toHaveProperty([`hint.${hint}`]);
    for (const rule of Object.keys(INPUT_RULES)) expect(MESSAGES).toHaveProperty([`rule.${rule}`]);
  });

  it("never says Enterprise gateway", () => {
    for (const text of Object.values(MESSAGES).flat()) expect(text).not.toMatch(/enterprise gateway|enterprise required/i);
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
    expect(t("requests.retryIn", { attempt: 2, max: 3, seconds: 12 })).toBe("attempt 2 of 3 in 12 s");
    locale.value = "zh";
    expect(t("requests.retryIn", { attempt: 2, max: 3, seconds: 12 })).toBe("12 秒后第 2/3 次尝试");
  });
});

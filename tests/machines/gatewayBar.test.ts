import { describe, expect, it } from "vitest";
import { ref } from "vue";
import { createTranslator } from "../../src/i18n/i18n.ts";
import { selectGatewayBar } from "../../machines/views.ts";

const CHECK = { fix: "signIn", send: { type: "user.checkSession" } };
const SETTINGS = (fix: string) => ({ fix, open: "settings" });

describe("the gateway status line's buttons and notice", () => {
  it("offers Check again (a session check sent to the core) on a managed gateway nothing has proven yet, and nothing once it is", () => {
    const unknown = selectGatewayBar({ status: "available", tone: "neutral", labelKey: "managed", reason: "managedAvailable", proof: "sessionUnknown" }, undefined);
    expect(unknown).toEqual({ checkSession: { label: "gateway.checkSession", action: CHECK } });
    expect(selectGatewayBar({ status: "available", tone: "ok", labelKey: "cloud", reason: "chosen", proof: "sessionVerified" }, undefined)).toEqual({});
    // A custom endpoint or the mock is never a session to check.
    expect(selectGatewayBar({ status: "available", tone: "neutral", labelKey: "custom", reason: "chosen", proof: "customUntried" }, undefined)).toEqual({});
  });

  it("gives the one fix with what applying it does, and the custom endpoint as the other way in", () => {
    expect(selectGatewayBar({ status: "unavailable", tone: "bad", reason: "signedOut", fix: "signIn", alternative: "useCustomEndpoint" }, undefined)).toEqual({
      fix: { label: "fix.signIn", action: CHECK },
      alternative: { label: "fix.useCustomEndpointInstead", action: SETTINGS("useCustomEndpoint") },
    });
    expect(selectGatewayBar({ status: "available", tone: "bad", labelKey: "custom", reason: "chosen", proof: "customKeyRefused", fix: "openSettings" }, undefined)).toEqual({
      fix: { label: "fix.openSettings", action: SETTINGS("openSettings") },
    });
  });

  it("says where Auto moved requests, or that none is usable, in both languages", () => {
    const moved = selectGatewayBar({ status: "unavailable", tone: "bad", reason: "noGateway", fix: "openSettings" }, { kind: "autoSwitched", to: "none", reason: "noGateway" }).notice;
    expect(moved).toEqual({ key: "notice.autoSwitched", gateway: "gateway.status.unavailable", reason: "reason.noGateway" });
    const say = (locale: "en" | "zh") => {
      const { t } = createTranslator(ref(locale));
      return moved?.key === "notice.autoSwitched" ? t(moved.key, { gateway: t(moved.gateway), reason: t(moved.reason) }) : "";
    };
    expect(say("en")).toMatch(/^Auto now uses Unavailable: No image gateway is available/);
    expect(say("zh")).toMatch(/^自动模式已改用不可用：/);
    const custom = selectGatewayBar({ status: "available", tone: "neutral", labelKey: "custom", reason: "customConfigured", proof: "customUntried" }, { kind: "autoSwitched", to: "custom", reason: "customConfigured" });
    expect(custom.notice).toMatchObject({ gateway: "gateway.label.custom" });
    expect(selectGatewayBar({ status: "available", tone: "ok", labelKey: "managed", reason: "chosen", proof: "sessionVerified" }, { kind: "mockProductionOnly" }).notice).toEqual({ key: "reason.mockProductionOnly" });
  });
});

import { getShortestPaths } from "@xstate/graph";
import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import { gatewayMachine, type GatewayEvent, type GatewayInput } from "../../machines/gateway.machine.ts";
import { selectGatewayStatus } from "../../machines/views.ts";
import { resolveGateway, type GatewayInputs, type GatewayMode, type HostFacts } from "../../machines/rules/gatewayResolution.ts";
import { FAILURE_HINTS, FIX_KEYS, REASON_KEYS } from "../../machines/labels.ts";
import { ENTERPRISE_WORDING, rendered } from "./support.ts";

const configured = { baseUrl: "https://images.example.com/v1", valid: true, keySet: true };
const unconfigured = { valid: false, keySet: false };
const invalid = { baseUrl: "ftp://nope", valid: false, keySet: false };
const inputs = (overrides: Partial<GatewayInputs>): GatewayInputs => ({
  mode: "auto",
  host: { managed: "absent" },
  custom: unconfigured,
  flavour: "production",
  ...overrides,
});

describe("gateway resolution", () => {
  it("Auto prefers a configured custom endpoint over the managed gateway", () => {
    expect(resolveGateway(inputs({ custom: configured, host: { managed: "unknown" } }))).toEqual({
      status: "available",
      kind: "custom",
      labelKey: "custom",
      reason: "customConfigured",
    });
  });

  it("Auto falls to the managed gateway, then the mock in development, then none", () => {
    expect(resolveGateway(inputs({ host: { managed: "unknown" } }))).toMatchObject({ kind: "managed", labelKey: "managed" });
    expect(resolveGateway(inputs({ flavour: "development" }))).toMatchObject({ kind: "mock", labelKey: "mock", reason: "mockInDevelopment" });
    expect(resolveGateway(inputs({ flavour: "development", host: { managed: "signedOut" } }))).toMatchObject({ kind: "mock", reason: "mockSignedOut" });
    expect(resolveGateway(inputs({}))).toEqual({ status: "unavailable", reason: "noGateway", fix: "openSettings" });
    expect(resolveGateway(inputs({ host: { managed: "signedOut" } }))).toEqual({ status: "unavailable", reason: "signedOut", fix: "signIn" });
  });

  it("says HaloForge Cloud only when the user chose Cloud or the host hints a Cloud session", () => {
    expect(resolveGateway(inputs({ mode: "cloud", host: { managed: "unknown" } }))).toMatchObject({ labelKey: "cloud" });
    expect(resolveGateway(inputs({ host: { managed: "unknown", session: "cloud" } }))).toMatchObject({ labelKey: "cloud" });
    expect(resolveGateway(inputs({ host: { managed: "unknown", session: "enterprise" } }))).toMatchObject({ labelKey: "managed" });
  });

  it("never falls back from an explicit mode", () => {
    expect(resolveGateway(inputs({ mode: "custom", host: { managed: "unknown" } }))).toEqual({
      status: "unavailable",
      reason: "customNotConfigured",
      fix: "openSettings",
    });
    expect(resolveGateway(inputs({ mode: "custom", custom: invalid }))).toMatchObject({ reason: "customInvalid" });
    expect(resolveGateway(inputs({ mode: "cloud", custom: configured, flavour: "development" }))).toEqual({
      status: "unavailable",
      reason: "hostUnavailable",
      fix: "useCustomEndpoint",
    });
    expect(resolveGateway(inputs({ mode: "cloud", host: { managed: "signedOut" }, custom: configured }))).toMatchObject({ reason: "signedOut" });
  });

  it("offers the mock only in development builds", () => {
    expect(resolveGateway(inputs({ mode: "mock", flavour: "development" }))).toMatchObject({ kind: "mock" });
    expect(resolveGateway(inputs({ mode: "mock", flavour: "production", host: { managed: "unknown" } }))).toMatchObject({ kind: "managed" });
  });
});

describe("gateway machine", () => {
  const start = (input: Partial<GatewayInput> = {}) =>
    createActor(gatewayMachine(), { input: { mode: "auto", host: { managed: "absent" }, custom: unconfigured, flavour: "production", ...input } }).start();

  it("turns a persisted mock mode into Auto with a notice in production", () => {
    const actor = start({ mode: "mock", host: { managed: "unknown" } });
    expect(actor.getSnapshot().context.mode).toBe("auto");
    expect(actor.getSnapshot().context.notice).toEqual({ kind: "mockProductionOnly" });
    expect(actor.getSnapshot().context.resolution.status).toBe("available");
    actor.send({ type: "notice.dismissed" });
    expect(actor.getSnapshot().context.notice).toBeUndefined();
  });

  it("follows session facts at run time, in their order", () => {
    const actor = start({ mode: "cloud", host: { managed: "unknown" } });
    expect(actor.getSnapshot().context.resolution.status).toBe("available");
    actor.send({ type: "session.fact", fact: "signedOut", seq: 2 });
    expect(actor.getSnapshot().context.resolution.status).toBe("unavailable");
    expect(actor.getSnapshot().context.resolution).toMatchObject({ reason: "signedOut", fix: "signIn" });
    // An older success (its call was sent before the refusal) does not overwrite it.
    actor.send({ type: "session.fact", fact: "verified", seq: 1 });
    expect(actor.getSnapshot().context.host.managed).toBe("signedOut");
    actor.send({ type: "session.fact", fact: "verified", seq: 3 });
    expect(actor.getSnapshot().context.host.managed).toBe("verified");
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "managed", labelKey: "cloud" });
  });

  it("a bridge that goes away forgets the session; one that comes back knows nothing yet", () => {
    const actor = start({ host: { managed: "unknown" } });
    actor.send({ type: "session.fact", fact: "verified", seq: 1 });
    actor.send({ type: "host.bridge", present: true });
    expect(actor.getSnapshot().context.host.managed).toBe("verified");
    actor.send({ type: "host.bridge", present: false });
    expect(actor.getSnapshot().context.host.managed).toBe("absent");
    actor.send({ type: "host.bridge", present: true });
    expect(actor.getSnapshot().context.host.managed).toBe("unknown");
  });

  it("re-resolves when settings change, and says once when Auto switched gateways", () => {
    const actor = start({ host: { managed: "unknown" } });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "managed" });
    actor.send({ type: "settings.changed", custom: configured });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "custom" });
    expect(actor.getSnapshot().context.notice).toEqual({ kind: "autoSwitched", to: "custom", reason: "customConfigured" });
    actor.send({ type: "notice.dismissed" });
    // A change that keeps the gateway says nothing.
    actor.send({ type: "settings.changed", custom: { ...configured, keySet: false } });
    expect(actor.getSnapshot().context.notice).toBeUndefined();
    actor.send({ type: "settings.changed", custom: unconfigured });
    expect(actor.getSnapshot().context.notice).toEqual({ kind: "autoSwitched", to: "managed", reason: "managedAvailable" });
    actor.send({ type: "settings.changed", mode: "mock" });
    expect(actor.getSnapshot().context).toMatchObject({ mode: "auto", notice: { kind: "mockProductionOnly" } });
    actor.send({ type: "host.bridge", present: false });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ status: "unavailable", reason: "noGateway" });
  });

  it("counts a custom endpoint fact only for the settings the call used", () => {
    const actor = start({ custom: configured });
    actor.send({ type: "custom.fact", seq: 1, outcome: { ok: true } });
    expect(actor.getSnapshot().context.customFact).toEqual({ state: "working" });
    actor.send({ type: "settings.changed", custom: { ...configured, baseUrl: "https://other.example.com/v1" } });
    expect(actor.getSnapshot().context.customFact).toEqual({ state: "untried" });
  });

  it("follows the custom endpoint's newest call outcome in event order: key refused, failing, working", () => {
    const actor = start({ custom: configured });
    const status = () => selectGatewayStatus(actor.getSnapshot().context, false);
    expect(status()).toMatchObject({ tone: "neutral", proof: "customUntried" });
    actor.send({ type: "custom.fact", seq: 1, outcome: { ok: false, failure: { code: "unauthorized", status: 401 } } });
    expect(status()).toMatchObject({ tone: "bad", proof: "customKeyRefused", fix: "openSettings" });
    for (const [seq, failure, sentence] of [
      [2, { code: "server_error", status: 500 }, { key: "server_errorStatus", params: { status: 500 } }],
      [3, { code: "rate_limited", status: 429, retryAfterMs: 2000 }, { key: "rate_limitedWait", params: { seconds: 2 } }],
      [4, { code: "timeout" }, { key: "timeoutNoTime" }],
      [5, { code: "server_error", status: 502, reason: "html_page" }, { key: "html_page", params: { status: 502 } }],
      [6, { code: "network", reason: "connection_broke" }, { key: "connection_broke" }],
      [7, { code: "network", reason: "stream_cut" }, { key: "stream_cut" }],
    ] as const) {
      actor.send({ type: "custom.fact", seq, outcome: { ok: false, failure } });
      expect(status()).toMatchObject({ tone: "warn", proof: "customFailing", failure: sentence });
    }
    // A success of a call sent before the newest failure arrived is older: it changes nothing.
    actor.send({ type: "custom.fact", seq: 6, outcome: { ok: true } });
    expect(status()).toMatchObject({ proof: "customFailing" });
    actor.send({ type: "custom.fact", seq: 8, outcome: { ok: true } });
    expect(status()).toMatchObject({ tone: "ok", proof: "customVerified" });
  });

  it("says signed out with Check again and the custom endpoint as the other way in, also when the mock stands in", () => {
    const signedOut = start({ mode: "cloud", host: { managed: "unknown" } });
    signedOut.send({ type: "session.fact", fact: "signedOut", seq: 1 });
    expect(selectGatewayStatus(signedOut.getSnapshot().context, false)).toEqual({
      status: "unavailable",
      tone: "bad",
      reason: "signedOut",
      fix: "signIn",
      alternative: "useCustomEndpoint",
    });
    expect(rendered("fix.signIn")).toEqual(["Check again", "重新检查"]);
    // With a custom endpoint configured, it is not offered again.
    signedOut.send({ type: "settings.changed", custom: configured });
    expect(selectGatewayStatus(signedOut.getSnapshot().context, false)).not.toHaveProperty("alternative");

    const development = start({ host: { managed: "unknown" }, flavour: "development" });
    development.send({ type: "session.fact", fact: "signedOut", seq: 1 });
    expect(selectGatewayStatus(development.getSnapshot().context, false)).toMatchObject({
      labelKey: "mock",
      reason: "mockSignedOut",
      tone: "neutral",
      fix: "signIn",
      alternative: "useCustomEndpoint",
    });
  });

  it("never shows 'Enterprise gateway' in any reachable state (model-based)", () => {
    const modes: GatewayMode[] = ["auto", "cloud", "custom", "mock"];
    const events: GatewayEvent[] = [
      ...modes.map((mode) => ({ type: "settings.changed" as const, mode })),
      ...[configured, unconfigured, invalid].map((custom) => ({ type: "settings.changed" as const, custom })),
      { type: "host.bridge", present: true },
      { type: "host.bridge", present: false },
      { type: "session.fact", fact: "signedOut", seq: 1 },
      { type: "session.fact", fact: "verified", seq: 2 },
      { type: "custom.fact", seq: 3, outcome: { ok: true } },
      { type: "notice.dismissed" },
    ];
    // Catalogue keys (src/i18n/messages.ts) of every label, reason and fix a reachable state shows.
    const userFacing = new Set<string>();
    for (const flavour of ["development", "production"] as const) {
      const paths = getShortestPaths(gatewayMachine(), {
        events,
        input: { mode: "auto", host: { managed: "unknown", session: flavour === "development" ? "cloud" : "enterprise" }, custom: unconfigured, flavour },
        serializeState: (snapshot) => JSON.stringify(snapshot.context),
      });
      expect(paths.length).toBeGreaterThan(50);
      for (const path of paths) {
        const { resolution, notice } = path.state.context;
        if (resolution.status === "available") userFacing.add(`gateway.label.${resolution.labelKey}`);
        userFacing.add(`reason.${resolution.reason}`);
        if (resolution.status === "unavailable") userFacing.add(`fix.${resolution.fix}`);
        if (notice?.kind === "mockProductionOnly") userFacing.add("reason.mockProductionOnly");
        if (notice?.kind === "autoSwitched") userFacing.add(`reason.${notice.reason}`);
        if (flavour === "production") expect(resolution.status === "available" && resolution.kind === "mock").toBe(false);
      }
    }
    expect([...userFacing].filter((key) => key.startsWith("gateway.label.")).sort()).toEqual(
      ["gateway.label.cloud", "gateway.label.custom", "gateway.label.managed", "gateway.label.mock"],
    );
    // Every word is rendered from the catalogue in both languages; only the mock gateway's
    // dev-only words are added where the panel mounts.
    const devOnly = ["gateway.label.mock", "reason.mockInDevelopment", "reason.mockSignedOut"];
    const keys = [...userFacing, ...REASON_KEYS.map((key) => `reason.${key}`), ...FIX_KEYS.map((key) => `fix.${key}`), ...Object.keys(FAILURE_HINTS).map((key) => `hint.${key}`)];
    for (const key of keys) {
      const words = rendered(key);
      expect(words.length === 2 || devOnly.includes(key), key).toBe(true);
      for (const text of words) expect(text).not.toMatch(ENTERPRISE_WORDING);
    }
  });
});

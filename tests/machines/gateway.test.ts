import { getShortestPaths } from "@xstate/graph";
import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import { gatewayMachine, type GatewayEvent, type GatewayInput } from "../../machines/gateway.machine.ts";
import { resolveGateway, type GatewayInputs, type GatewayMode, type HostFacts } from "../../machines/gatewayResolution.ts";
import { FAILURE_HINTS, FIXES, GATEWAY_LABELS, REASONS } from "../../machines/labels.ts";

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
    expect(resolveGateway(inputs({ custom: configured, host: { managed: "available" } }))).toEqual({
      status: "available",
      kind: "custom",
      labelKey: "custom",
      reason: "customConfigured",
    });
  });

  it("Auto falls to the managed gateway, then the mock in development, then none", () => {
    expect(resolveGateway(inputs({ host: { managed: "available" } }))).toMatchObject({ kind: "managed", labelKey: "managed" });
    expect(resolveGateway(inputs({ flavour: "development" }))).toMatchObject({ kind: "mock", labelKey: "mock", reason: "mockInDevelopment" });
    expect(resolveGateway(inputs({}))).toEqual({ status: "unavailable", reason: "noGateway", fix: "openSettings" });
    expect(resolveGateway(inputs({ host: { managed: "signedOut" } }))).toEqual({ status: "unavailable", reason: "signedOut", fix: "signIn" });
  });

  it("says HaloForge Cloud only when the user chose Cloud or the host hints a Cloud session", () => {
    expect(resolveGateway(inputs({ mode: "cloud", host: { managed: "available" } }))).toMatchObject({ labelKey: "cloud" });
    expect(resolveGateway(inputs({ host: { managed: "available", session: "cloud" } }))).toMatchObject({ labelKey: "cloud" });
    expect(resolveGateway(inputs({ host: { managed: "available", session: "enterprise" } }))).toMatchObject({ labelKey: "managed" });
  });

  it("never falls back from an explicit mode", () => {
    expect(resolveGateway(inputs({ mode: "custom", host: { managed: "available" } }))).toEqual({
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
    expect(resolveGateway(inputs({ mode: "mock", flavour: "production", host: { managed: "available" } }))).toMatchObject({ kind: "managed" });
  });
});

describe("gateway machine", () => {
  const start = (input: Partial<GatewayInput> = {}) =>
    createActor(gatewayMachine, { input: { mode: "auto", host: { managed: "absent" }, custom: unconfigured, flavour: "production", ...input } }).start();

  it("turns a persisted mock mode into Auto with a notice in production", () => {
    const actor = start({ mode: "mock", host: { managed: "available" } });
    expect(actor.getSnapshot().context.mode).toBe("auto");
    expect(actor.getSnapshot().context.notice).toBe("mockProductionOnly");
    expect(actor.getSnapshot().value).toBe("available");
    actor.send({ type: "notice.dismissed" });
    expect(actor.getSnapshot().context.notice).toBeUndefined();
  });

  it("follows sign-out and sign-in at run time", () => {
    const actor = start({ mode: "cloud", host: { managed: "available" } });
    expect(actor.getSnapshot().value).toBe("available");
    actor.send({ type: "host.signedOut" });
    expect(actor.getSnapshot().value).toBe("unavailable");
    expect(actor.getSnapshot().context.resolution).toMatchObject({ reason: "signedOut", fix: "signIn" });
    actor.send({ type: "host.signedIn", session: "enterprise" });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "managed", labelKey: "cloud" });
  });

  it("re-resolves when settings change", () => {
    const actor = start({ host: { managed: "available" } });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "managed" });
    actor.send({ type: "settings.changed", custom: configured });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "custom" });
    actor.send({ type: "settings.changed", mode: "mock" });
    expect(actor.getSnapshot().context).toMatchObject({ mode: "auto", notice: "mockProductionOnly" });
    actor.send({ type: "host.changed", host: { managed: "absent" } });
    expect(actor.getSnapshot().context.resolution).toMatchObject({ kind: "custom" });
  });

  it("never shows 'Enterprise gateway' in any reachable state (model-based)", () => {
    const modes: GatewayMode[] = ["auto", "cloud", "custom", "mock"];
    const hosts: HostFacts[] = [
      { managed: "absent" },
      { managed: "available" },
      { managed: "available", session: "cloud" },
      { managed: "available", session: "enterprise" },
      { managed: "signedOut" },
    ];
    const events: GatewayEvent[] = [
      ...modes.map((mode) => ({ type: "settings.changed" as const, mode })),
      ...[configured, unconfigured, invalid].map((custom) => ({ type: "settings.changed" as const, custom })),
      ...hosts.map((host) => ({ type: "host.changed" as const, host })),
      { type: "host.signedOut" },
      { type: "host.signedIn", session: "cloud" },
      { type: "notice.dismissed" },
    ];
    const userFacing = new Set<string>();
    for (const flavour of ["development", "production"] as const) {
      const paths = getShortestPaths(gatewayMachine, {
        events,
        input: { mode: "auto", host: { managed: "absent" }, custom: unconfigured, flavour },
        serializeState: (snapshot) => JSON.stringify({ value: snapshot.value, context: snapshot.context }),
      });
      expect(paths.length).toBeGreaterThan(50);
      for (const path of paths) {
        const { resolution, notice } = path.state.context;
        if (resolution.status === "available") userFacing.add(GATEWAY_LABELS[resolution.labelKey]);
        userFacing.add(REASONS[resolution.reason]);
        if (resolution.status === "unavailable") userFacing.add(FIXES[resolution.fix]);
        if (notice) userFacing.add(REASONS[notice]);
        if (flavour === "production") expect(resolution.status === "available" && resolution.kind === "mock").toBe(false);
      }
    }
    expect([...userFacing].filter((text) => Object.values(GATEWAY_LABELS).includes(text as never)).sort()).toEqual(
      ["Custom endpoint", "HaloForge Cloud gateway", "Managed gateway", "Mock gateway"],
    );
    for (const text of [...userFacing, ...Object.values(REASONS), ...Object.values(FIXES), ...Object.values(FAILURE_HINTS)]) {
      expect(text).not.toMatch(/enterprise gateway|enterprise required/i);
    }
  });
});

import type { GatewayKind } from "./gatewayTypes.ts";
import type { FixKey, GatewayLabelKey, ReasonKey } from "./labels.ts";

export type GatewayMode = "auto" | "cloud" | "custom" | "mock";
export type BuildFlavour = "development" | "production";

/** What the plugin can learn about the host's managed gateway (HOST-CONTRACT.md §1.3). */
export interface HostFacts {
  /** absent: no bridge; available: bridge present; signedOut: a call was rejected as signed out. */
  managed: "absent" | "available" | "signedOut";
  /** Optional hint about the session; the 0.2.16 bridge gives none, a future host may. */
  session?: "cloud" | "enterprise" | "unknown";
}

export interface CustomEndpointFacts {
  /** The normalized base URL, or undefined when none is set. */
  baseUrl?: string;
  /** Whether the base URL passed validation. */
  valid: boolean;
  keySet: boolean;
}

export interface GatewayInputs {
  mode: GatewayMode;
  host: HostFacts;
  custom: CustomEndpointFacts;
  flavour: BuildFlavour;
}

export type Resolution =
  | { status: "available"; kind: GatewayKind; labelKey: GatewayLabelKey; reason: ReasonKey }
  | { status: "unavailable"; reason: ReasonKey; fix: FixKey };

const customUsable = (custom: CustomEndpointFacts) => Boolean(custom.baseUrl) && custom.valid;

function managedLabel(mode: GatewayMode, host: HostFacts): GatewayLabelKey {
  return mode === "cloud" || host.session === "cloud" ? "cloud" : "managed";
}

/** A persisted `mock` mode is honoured only in development builds. */
export function effectiveMode(mode: GatewayMode, flavour: BuildFlavour): GatewayMode {
  return mode === "mock" && flavour === "production" ? "auto" : mode;
}

/**
 * Picks the gateway. Auto: custom endpoint when configured and valid → managed gateway when the
 * host offers it → mock in development builds → none. Explicit modes never fall back.
 */
export function resolveGateway({ mode, host, custom, flavour }: GatewayInputs): Resolution {
  const managed = (reason: ReasonKey): Resolution => ({ status: "available", kind: "managed", labelKey: managedLabel(mode, host), reason });
  switch (effectiveMode(mode, flavour)) {
    case "custom":
      if (customUsable(custom)) return { status: "available", kind: "custom", labelKey: "custom", reason: "chosen" };
      return { status: "unavailable", reason: custom.baseUrl ? "customInvalid" : "customNotConfigured", fix: "openSettings" };
    case "cloud":
      if (host.managed === "available") return managed("chosen");
      if (host.managed === "signedOut") return { status: "unavailable", reason: "signedOut", fix: "signIn" };
      return { status: "unavailable", reason: "hostUnavailable", fix: "useCustomEndpoint" };
    case "mock":
      return { status: "available", kind: "mock", labelKey: "mock", reason: "chosen" };
    case "auto":
      if (customUsable(custom)) {
        return { status: "available", kind: "custom", labelKey: "custom", reason: "customConfigured" };
      }
      if (host.managed === "available") return managed("managedAvailable");
      if (flavour === "development") {
        return { status: "available", kind: "mock", labelKey: "mock", reason: "mockInDevelopment" };
      }
      return { status: "unavailable", reason: host.managed === "signedOut" ? "signedOut" : "noGateway", fix: host.managed === "signedOut" ? "signIn" : "openSettings" };
  }
}

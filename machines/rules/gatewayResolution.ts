import type { GatewayKind } from "../gatewayCall.ts";
import type { FixKey, GatewayLabelKey, ReasonKey } from "../labels.ts";

/** `custom`: one endpoint profile (the one the settings chose, or the default one for Auto). */
export type GatewayMode = "auto" | "cloud" | "custom" | "mock";
export type BuildFlavour = "development" | "production";

/**
 * What the plugin knows about the host's managed gateway. The bridge only tells whether it is
 * there; the session is known only from answers: absent (no bridge), unknown (bridge present, no
 * answer yet), verified (a call or a saved-output listing succeeded), signedOut (one was refused
 * as signed out).
 */
export type ManagedFact = "absent" | "unknown" | "verified" | "signedOut";

export interface HostFacts {
  managed: ManagedFact;
  /** Optional hint about the session; the 0.2.16 bridge gives none, a future host may. */
  session?: "cloud" | "enterprise" | "unknown";
}

/** The endpoint profile gateway selection resolves to: the chosen one, or for Auto the default one. */
export interface CustomEndpointFacts {
  profileId?: string;
  /** The profile's name: the status line says it where it says "custom endpoint". */
  profileName?: string;
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
/** The bridge is there and no answer said signed out: requests may go through it. */
const managedUsable = (host: HostFacts) => host.managed === "unknown" || host.managed === "verified";

function managedLabel(mode: GatewayMode, host: HostFacts): GatewayLabelKey {
  return mode === "cloud" || host.session === "cloud" ? "cloud" : "managed";
}

/** A persisted `mock` mode is honoured only in development builds. */
export function effectiveMode(mode: GatewayMode, flavour: BuildFlavour): GatewayMode {
  return mode === "mock" && flavour === "production" ? "auto" : mode;
}

/**
 * Picks the gateway. Auto: the default endpoint profile when configured and valid → managed gateway when the
 * host offers it → mock in development builds → none. Explicit modes never fall back.
 */
export function resolveGateway({ mode, host, custom, flavour }: GatewayInputs): Resolution {
  const managed = (reason: ReasonKey): Resolution => ({ status: "available", kind: "managed", labelKey: managedLabel(mode, host), reason });
  switch (effectiveMode(mode, flavour)) {
    case "custom":
      if (customUsable(custom)) return { status: "available", kind: "custom", labelKey: "custom", reason: "chosen" };
      return { status: "unavailable", reason: custom.baseUrl ? "customInvalid" : "customNotConfigured", fix: "openSettings" };
    case "cloud":
      if (managedUsable(host)) return managed("chosen");
      if (host.managed === "signedOut") return { status: "unavailable", reason: "signedOut", fix: "signIn" };
      return { status: "unavailable", reason: "hostUnavailable", fix: "useCustomEndpoint" };
    case "mock":
      return { status: "available", kind: "mock", labelKey: "mock", reason: "chosen" };
    case "auto":
      if (customUsable(custom)) {
        return { status: "available", kind: "custom", labelKey: "custom", reason: "customConfigured" };
      }
      if (managedUsable(host)) return managed("managedAvailable");
      if (flavour === "development") {
        return { status: "available", kind: "mock", labelKey: "mock", reason: host.managed === "signedOut" ? "mockSignedOut" : "mockInDevelopment" };
      }
      return { status: "unavailable", reason: host.managed === "signedOut" ? "signedOut" : "noGateway", fix: host.managed === "signedOut" ? "signIn" : "openSettings" };
  }
}

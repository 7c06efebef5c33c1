import type { GatewayContext, GatewayNotice } from "../gateway.machine.ts";
import type { FixKey, GatewayLabelKey, ProofKey, ReasonKey } from "../labels.ts";
import { fixAction, type FixAction } from "./fixActions.ts";
import { failureSentence, type SentenceView, type Tone } from "./requests.ts";

/**
 * What the gateway status line shows: the chosen gateway, why, and what is proven about it.
 * `failure`: the custom endpoint's newest failure, worded from its facts. `alternative`: a second
 * way in, offered to a signed-out user with no custom endpoint.
 */
export type GatewayStatusView =
  | { status: "available"; tone: Tone; labelKey: GatewayLabelKey; reason: ReasonKey; proof: ProofKey; fix?: FixKey; failure?: SentenceView; alternative?: FixKey; profileName?: string }
  | { status: "unavailable"; tone: "bad"; reason: ReasonKey; fix: FixKey; alternative?: FixKey };

const SIGNED_OUT_REASONS: readonly ReasonKey[] = ["signedOut", "mockSignedOut"];

export function selectGatewayStatus(context: GatewayContext, probing: boolean): GatewayStatusView {
  const { resolution } = context;
  // Signed out and no custom endpoint: that is the other way in.
  const alternative = SIGNED_OUT_REASONS.includes(resolution.reason) && !(context.custom.baseUrl && context.custom.valid) ? { alternative: "useCustomEndpoint" as const } : {};
  if (resolution.status === "unavailable") return { ...resolution, tone: "bad", ...alternative };
  const named = resolution.kind === "custom" && context.custom.profileName ? { profileName: context.custom.profileName } : {};
  const base = { status: "available" as const, labelKey: resolution.labelKey, reason: resolution.reason, ...named };
  switch (resolution.kind) {
    case "mock":
      // The mock stands in because the user is signed out: said, with the way to look again.
      if (resolution.reason === "mockSignedOut") return { ...base, tone: "neutral", proof: "mock", fix: "signIn", ...alternative };
      return { ...base, tone: "ok", proof: "mock" };
    case "custom":
      switch (context.customFact.state) {
        case "working":
          return { ...base, tone: "ok", proof: "customVerified" };
        case "keyRefused":
          return { ...base, tone: "bad", proof: "customKeyRefused", fix: "openSettings" };
        case "failing":
          return { ...base, tone: "warn", proof: "customFailing", failure: failureSentence(context.customFact.failure) };
        default:
          return { ...base, tone: "neutral", proof: "customUntried" };
      }
    case "managed":
      if (context.host.managed === "verified") return { ...base, tone: "ok", proof: "sessionVerified" };
      return { ...base, tone: "neutral", proof: probing ? "sessionChecking" : "sessionUnknown" };
  }
}

export type { GatewayNotice };


/** The status line's buttons and its notice, each with the words to show and what applying it does. */
export interface GatewayBarView {
  /** The one fix. */
  fix?: { label: `fix.${FixKey}`; action: FixAction };
  /** "Check again" on a managed gateway nothing has proven yet (free: no image). */
  checkSession?: { label: "gateway.checkSession"; action: FixAction };
  /** A second way in, for a signed-out user with no custom endpoint. */
  alternative?: { label: "fix.useCustomEndpointInstead"; action: FixAction };
  /** Said once after a settings change moved Auto (or why the mock is gone): the key and the keys of its values. */
  notice?: { key: "reason.mockProductionOnly" } | { key: "notice.autoSwitched"; gateway: `gateway.label.${GatewayLabelKey}` | "gateway.status.unavailable"; reason: `reason.${ReasonKey}` };
}

function noticeOf(notice: GatewayNotice | undefined): GatewayBarView["notice"] {
  if (!notice) return undefined;
  if (notice.kind === "mockProductionOnly") return { key: "reason.mockProductionOnly" };
  return { key: "notice.autoSwitched", gateway: notice.to === "none" ? "gateway.status.unavailable" : `gateway.label.${notice.to}`, reason: `reason.${notice.reason}` };
}

export function selectGatewayBar(status: GatewayStatusView, notice: GatewayNotice | undefined): GatewayBarView {
  const unproven = status.status === "available" && !status.fix && status.labelKey !== "custom" && status.labelKey !== "mock" && status.tone !== "ok";
  const shown = noticeOf(notice);
  return {
    ...(status.fix ? { fix: { label: `fix.${status.fix}` as const, action: fixAction(status.fix) } } : {}),
    ...(unproven ? { checkSession: { label: "gateway.checkSession" as const, action: fixAction("signIn") } } : {}),
    ...(status.alternative ? { alternative: { label: "fix.useCustomEndpointInstead" as const, action: fixAction(status.alternative) } } : {}),
    ...(shown ? { notice: shown } : {}),
  };
}

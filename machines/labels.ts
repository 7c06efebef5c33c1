// The keys of the gateway's user-facing words. The words themselves are in the panel's catalogue
// (src/i18n/messages.ts, English and Chinese; the mock gateway's dev-only words where the panel
// mounts): `gateway.label.<key>`, `reason.<key>`, `fix.<key>`. The tables below whose English lives
// here are paired with their Chinese in that catalogue.

/** The gateway labels; never the enterprise-only wording. */
export const GATEWAY_LABEL_KEYS = ["cloud", "managed", "custom", "mock"] as const;
/** Resolutions and views carry the key; the panel renders it through i18n, so the production
 * bundle (which has no mock gateway) carries no mock label either. */
export type GatewayLabelKey = (typeof GATEWAY_LABEL_KEYS)[number];

/** Why a gateway was chosen (shown in Auto) or why none is usable. */
export const REASON_KEYS = [
  "customConfigured",
  "managedAvailable",
  "mockInDevelopment",
  "mockSignedOut",
  "chosen",
  "noGateway",
  "signedOut",
  "hostUnavailable",
  "customNotConfigured",
  "customInvalid",
  "mockProductionOnly",
] as const;
export type ReasonKey = (typeof REASON_KEYS)[number];

/** The one action that fixes an unusable gateway or a failure (`signIn`: signing in happens in
 * HaloForge; the panel can only look again, free; `enableStreaming`: turns streaming on for the
 * request's profile, which keeps the connection alive through proxies). */
export const FIX_KEYS = ["openSettings", "signIn", "useCustomEndpoint", "enableStreaming"] as const;
export type FixKey = (typeof FIX_KEYS)[number];

/** What has been proven about the chosen gateway: the status is green only for `verified`. */
export const PROOFS = {
  sessionUnknown: "Your HaloForge session is not confirmed yet: it is checked (free, no image) when the panel opens or comes back into view, and by your next request.",
  sessionChecking: "Checking your HaloForge session (free, no image)…",
  sessionVerified: "Your HaloForge session answered.",
  customUntried: "Not tried yet: your next request or a connection test shows whether it works.",
  customVerified: "The custom endpoint answered.",
  customKeyRefused: "The custom endpoint refused the API key.",
  customFailing: "The custom endpoint's last call failed: {reason}",
  mock: "Local images only, no provider.",
} as const;
export type ProofKey = keyof typeof PROOFS;

/** What happened, one sentence per failure, worded from its code, status and Retry-After (never
 * from the provider's text, which the card quotes as a detail). Keys double as i18n keys. */
export const FAILURE_SENTENCES = {
  unauthorized: "The provider refused the API key.",
  forbidden: "The key has no access to this model or endpoint.",
  not_found: "The endpoint or the model was not found.",
  rate_limited: "The provider is limiting requests.",
  rate_limitedWait: "The provider is limiting requests and asked to wait {seconds} s.",
  payload_too_large: "The request or its answer is too large.",
  server_error: "The provider failed.",
  server_errorStatus: "The provider failed (HTTP {status}).",
  timeout: "No answer within {seconds} s.",
  timeoutNoTime: "No answer in time.",
  network: "The endpoint could not be reached.",
  connection_broke: "The connection to the endpoint broke after the request was sent.",
  stream_cut: "The stream broke before the final image arrived.",
  stream_cutAfterPreview: "The stream broke after a preview arrived, before the final image.",
  html_page: "The endpoint answered HTTP {status} with a web page instead of JSON.",
  not_json: "The endpoint answered HTTP {status} with something other than JSON.",
  insecure_url: "The endpoint returned an image link that is not https; it was not opened.",
  redirect: "The endpoint redirected the request; enter the final URL as the base URL.",
  invalid_response: "The gateway answered in an unexpected format.",
  noImage: "The gateway answered without any image.",
  invalid_config: "The custom endpoint's settings are not valid.",
  credential_header: "An extra header would carry a key or credentials, so nothing was sent.",
  key_origin_mismatch: "The saved key belongs to another address, so nothing was sent.",
  gateway_timeout: "A proxy in front of the provider gave up waiting (HTTP {status}); the image may still have been made and billed.",
  unsupported_option: "This profile's provider does not take one of the request's options (named below), so nothing was sent.",
  gateway_timeoutNoStatus: "A proxy in front of the provider gave up waiting; the image may still have been made and billed.",
  invalid_request: "The provider rejected the request.",
  signed_out: "You are signed out of HaloForge.",
  noGateway: "No image gateway is available.",
  hostUnavailable: "This HaloForge host offers no managed image gateway.",
  customNotConfigured: "The custom endpoint has no base URL yet.",
  customInvalid: "The custom endpoint's base URL is not valid.",
  internal: "Something failed inside the plugin.",
  interrupted: "The request stopped unexpectedly.",
  cancelled: "The request was cancelled.",
} as const;
export type SentenceKey = keyof typeof FAILURE_SENTENCES;

/** Hint shown with a failed request: the one action that fixes it. Keys double as i18n keys. */
export const FAILURE_HINTS = {
  unauthorized: "Check the API key in settings.",
  /** On an endpoint profile: the key may be right and sent in the wrong header. */
  unauthorizedAuth: "Check the profile's key header (Bearer, api-key or x-goog-api-key), then its key.",
  forbidden: "Use a key with access, or choose another model.",
  not_found: "Check the base URL and the model name.",
  rate_limited: "Try again in a moment.",
  payload_too_large: "Use fewer or smaller reference images.",
  server_error: "Retry in a moment.",
  timeout: "Raise the timeout in settings, or retry.",
  network: "Check your connection and the base URL.",
  invalid_response: "Check that the endpoint is OpenAI-compatible, then retry.",
  invalid_config: "Fix the custom endpoint in settings.",
  key_origin_mismatch: "Enter the API key again for this base URL.",
  gateway_timeout: "Turn on streaming: it keeps the connection alive through proxies.",
  unsupported_option: "Clear that option in the composer, or choose a profile whose provider takes it.",
  invalid_request: "Change the prompt or the options, then try again.",
  // The gateway status says how (once): the card adds nothing.
  signed_out: "",
  stream_cut: "Retry for the final image; the preview is incomplete.",
  gateway_unavailable: "Choose another gateway.",
  internal: "Retry the request.",
  cancelled: "",
  validation: "Fix the highlighted field.",
  interrupted: "Retry the request.",
} as const;
export type HintKey = keyof typeof FAILURE_HINTS;

import type { CustomEndpointFacts } from "./rules/gatewayResolution.ts";
import type { AnswerEcho } from "./rules/answerEcho.schema.ts";
import type { ProviderFields } from "./rules/providerFields.ts";
import type { Usage } from "./rules/usage.schema.ts";

export type GatewayKind = "managed" | "custom" | "mock";

/** Failure codes: the native backend's codes plus the managed path's own. */
export const FAILURE_CODES = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "rate_limited",
  "payload_too_large",
  "server_error",
  "timeout",
  "cancelled",
  "network",
  "invalid_response",
  "invalid_config",
  /** The profile's key was saved for another origin: nothing was sent. */
  "key_origin_mismatch",
  /** A proxy gave up waiting (HTTP 502, 504, 524) or dropped the connection after sending: may have run. */
  "gateway_timeout",
  /** The profile's provider does not take an option of the request (named in `option`): nothing was sent. */
  "unsupported_option",
  "signed_out",
  "gateway_unavailable",
  "internal",
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Finer causes the native backend reports (`reason`), so the panel can word them. */
export const FAILURE_REASONS = ["connect_failed", "connection_broke", "stream_cut", "html_page", "not_json", "no_image", "insecure_url", "redirect", "api_key_format", "credential_header"] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** What a failure's sentence is worded from: never its text. */
export interface FailureFacts {
  code: FailureCode;
  status?: number;
  retryAfterMs?: number;
  reason?: FailureReason;
}

/** A failed gateway call, already redacted by the adapter that produced it. */
export interface GatewayFailure {
  code: FailureCode;
  /** Our own English for logs and diagnostics; never shown as the provider's words. */
  message: string;
  /** The provider's (or the host gateway's) own words, redacted: the only text the card quotes. */
  providerText?: string;
  reason?: FailureReason;
  status?: number;
  retryAfterMs?: number;
  providerRequestId?: string;
  /** False only when the provider certainly never received or never ran the request: set by the
   * native backend (`may_have_run`) or by the managed adapter's table, never guessed from text. */
  mayHaveRun: boolean;
}

/** An image as the panel holds it: its bytes (a Blob, made once from the answer's base64), or a validated remote URL. */
export type ImageSource = Blob | string;

/** One image that came back. */
export interface ImageOutput {
  src: ImageSource;
  revisedPrompt?: string;
  /** Arrived after the user cancelled a call the gateway could not stop (it may be billed). */
  afterCancel?: boolean;
}

/** Messages a running gateway call sends back to its request. */
export type GatewayCallEvent =
  | { type: "gateway.output"; output: ImageOutput }
  /** The newest streamed partial image (a preview, billed as extra output), numbered by `seq`. */
  | { type: "gateway.partial"; seq: number; src: ImageSource }
  /** `streamFallback`: why a streaming call was answered plainly (the native `streamFallbackReason`); `echo`: what the answer says it made. */
  | { type: "gateway.done"; providerRequestId?: string; usage?: Usage; streamFallback?: string; echo?: AnswerEcho }
  | { type: "gateway.failed"; failure: GatewayFailure };

/**
 * Every endpoint profile as configured now, by id: a compare target naming a profile goes out
 * through its endpoint and resolves from its facts (a deleted profile is absent).
 */
export type ProfileEndpoints = Readonly<Record<string, { endpoint: EndpointDescription; facts: CustomEndpointFacts }>>;

/**
 * The endpoint profile as a request is sent to it, captured when the request is created: a
 * settings change afterwards (another profile chosen, this one edited or deleted) never reroutes a
 * request already made.
 */
export interface EndpointDescription {
  profileId: string;
  /** The profile's name when the request was made: what its card and history row say. */
  profileName: string;
  /** The normalized base URL when it passes the URL rules, else as typed (the call then fails `invalid_config`). */
  baseUrl: string;
  dialect: "images" | "responses" | "azure" | "chat" | "siliconflow";
  auth: "bearer" | "api-key" | "x-goog-api-key" | "none";
  /** Azure's classic form only. */
  deployment?: string;
  apiVersion?: string;
  editUpload: "multipart" | "json";
  allowInsecureHttp: boolean;
  /** Non-secret headers sent with every call. */
  extraHeaders?: Record<string, string>;
  timeoutMs: number;
  /** Mainline model that drives the image tool on the Responses dialect. */
  responsesModel: string;
  /** Stream this many partial previews per image (each billed as extra output); absent: no streaming. */
  partialImages?: number;
  /** The request fields its provider takes: the request leaves the others out. */
  fields: ProviderFields;
}

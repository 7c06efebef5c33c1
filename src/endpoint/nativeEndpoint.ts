import type { EndpointDescription } from "../../machines/index.ts";

/**
 * The native endpoint-profile wire (`endpoint` of every native call) for today's single custom
 * endpoint: the one profile `default`, Bearer auth, and the API setting as its dialect (a
 * Responses endpoint's edits go to its Images API on the native side).
 */
export function nativeEndpoint(config: Pick<EndpointDescription, "baseUrl" | "apiType" | "allowInsecureHttp">) {
  return { profileId: "default", baseUrl: config.baseUrl, dialect: config.apiType, auth: "bearer", allowInsecureHttp: config.allowInsecureHttp } as const;
}

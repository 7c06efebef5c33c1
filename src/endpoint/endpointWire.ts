import type { EndpointDescription } from "../../machines/index.ts";

/** The endpoint profile as the native commands take it (the key is the profile's, kept natively). */
export const endpointWire = (config: EndpointDescription) => ({
  profileId: config.profileId,
  baseUrl: config.baseUrl,
  dialect: config.dialect,
  auth: config.auth,
  ...(config.deployment ? { deployment: config.deployment } : {}),
  ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}),
  editUpload: config.editUpload,
  allowInsecureHttp: config.allowInsecureHttp,
  ...(config.extraHeaders ? { extraHeaders: config.extraHeaders } : {}),
});

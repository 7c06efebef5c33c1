import type { EndpointDescription } from "../../machines/index.ts";
import type { BaseUrlCheck } from "../endpoint/baseUrl.ts";
import type { Profile } from "../schemas/profile.ts";
import { presetOf } from "./presets.ts";

/** The endpoint a request made now through `profile` captures: the native wire's fields, its timeout, streaming and the fields its provider takes. */
export function endpointOf(profile: Profile, check: BaseUrlCheck): EndpointDescription {
  const fields = presetOf(profile.preset).fields;
  const headers = Object.keys(profile.extraHeaders).length ? { extraHeaders: { ...profile.extraHeaders } } : {};
  return {
    profileId: profile.id,
    profileName: profile.name,
    baseUrl: check.ok ? check.normalized : profile.baseUrl,
    dialect: profile.dialect,
    auth: profile.auth,
    // The native side takes a deployment only on Azure's classic form.
    ...(profile.dialect === "azure" && profile.deployment ? { deployment: profile.deployment } : {}),
    ...(profile.apiVersion ? { apiVersion: profile.apiVersion } : {}),
    editUpload: profile.editUpload,
    allowInsecureHttp: profile.allowInsecureHttp,
    ...headers,
    timeoutMs: profile.timeoutSeconds * 1000,
    responsesModel: profile.responsesModel,
    ...(profile.streamPartials && fields.streaming ? { partialImages: profile.partialImages } : {}),
    fields,
  };
}

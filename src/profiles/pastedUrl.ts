import type { Dialect, WireAuth } from "./presets.ts";

// People paste whole request URLs as the base URL: Azure's portal shows a "Target URI" with the
// deployment, the operation and `?api-version=`; other docs show `…/images/generations`. Such a URL
// is split into the profile's fields, and the panel says what it moved where.

/** The operations the base URL must not end with (the panel and the native side add them). */
const OPERATIONS = ["/images/generations", "/images/edits", "/chat/completions", "/responses", "/models"];
const AZURE_HOST = /\.(?:openai\.azure\.com|services\.ai\.azure\.com|cognitiveservices\.azure\.com)$/i;

export interface SplitUrl {
  baseUrl: string;
  deployment?: string;
  apiVersion?: string;
  /** Azure's classic deployment form: its dialect and key header. */
  dialect?: Dialect;
  auth?: WireAuth;
  /** What was taken out of the pasted URL, for the notice (empty: nothing was). */
  moved: ("deployment" | "apiVersion" | "operation")[];
}

/** Splits a pasted URL into base URL, deployment and API version; a URL it cannot parse is kept as typed. */
export function splitPastedUrl(raw: string): SplitUrl {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text.includes("://") ? text : `https://${text}`);
  } catch {
    return { baseUrl: raw, moved: [] };
  }
  const moved: SplitUrl["moved"] = [];
  let path = url.pathname.replace(/\/+$/, "");
  for (let operation = OPERATIONS.find((suffix) => path.endsWith(suffix)); operation; operation = OPERATIONS.find((suffix) => path.endsWith(suffix))) {
    path = path.slice(0, -operation.length).replace(/\/+$/, "");
    if (!moved.includes("operation")) moved.push("operation");
  }
  const split: SplitUrl = { baseUrl: "", moved };
  const deployment = /^(.*)\/deployments\/([^/]+)$/.exec(path);
  if (deployment) {
    path = deployment[1]!;
    split.deployment = decodeURIComponent(deployment[2]!);
    moved.push("deployment");
    if (AZURE_HOST.test(url.hostname) || url.searchParams.has("api-version")) {
      split.dialect = "azure";
      split.auth = "api-key";
    }
  }
  const apiVersion = url.searchParams.get("api-version");
  if (apiVersion) {
    split.apiVersion = apiVersion;
    url.searchParams.delete("api-version");
    moved.push("apiVersion");
  }
  if (moved.length === 0) return { baseUrl: raw, moved };
  const query = url.searchParams.toString();
  split.baseUrl = `${url.protocol}//${url.host}${path}${query ? `?${query}` : ""}`;
  return split;
}

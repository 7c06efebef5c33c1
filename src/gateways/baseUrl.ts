// Mirrors the native backend's base URL rules (native/README.md) so the settings can show the
// normalized URL and a specific problem as the user types. The native side checks again.

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const OPERATION_SUFFIX = /\/(?:images\/generations|images\/edits|responses|models)\/?$/;

export type BaseUrlCheck = { ok: true; normalized: string } | { ok: false; problem: string };

export function checkBaseUrl(raw: string, allowInsecureHttp: boolean): BaseUrlCheck {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, problem: "Enter the endpoint's base URL." };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: "This is not a URL." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "Only http and https URLs are supported." };
  if (url.username || url.password) return { ok: false, problem: "Put the key in the API key field, not in the URL." };
  if (!url.hostname) return { ok: false, problem: "The URL has no host." };
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname) && !allowInsecureHttp) {
    return { ok: false, problem: "Plain http is only allowed for this computer (localhost) unless you allow insecure http." };
  }
  let path = url.pathname.replace(OPERATION_SUFFIX, "").replace(/\/+$/, "");
  if (path === "") path = "/v1";
  return { ok: true, normalized: `${url.protocol}//${url.host}${path}${url.search}` };
}

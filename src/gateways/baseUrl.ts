// Mirrors the native backend's base URL rules (native/README.md) so the settings can show the
// normalized URL and a specific problem as the user types. The native side checks again.

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** This computer: the one place plain http is safe by default (endpoints and image URLs alike). */
export const isLoopbackHost = (hostname: string) => LOOPBACK.has(hostname);
const OPERATION_SUFFIX = /\/(?:images\/generations|images\/edits|responses|models)\/?$/;

/** What is wrong with a base URL; the panel words it (i18n keys `baseUrl.<problem>`). */
export type BaseUrlProblem = "empty" | "notUrl" | "scheme" | "credentials" | "noHost" | "insecureHttp";
export type BaseUrlCheck = { ok: true; normalized: string } | { ok: false; problem: BaseUrlProblem };

export function checkBaseUrl(raw: string, allowInsecureHttp: boolean): BaseUrlCheck {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, problem: "empty" };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: "notUrl" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "scheme" };
  if (url.username || url.password) return { ok: false, problem: "credentials" };
  if (!url.hostname) return { ok: false, problem: "noHost" };
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    return { ok: false, problem: "insecureHttp" };
  }
  let path = url.pathname.replace(OPERATION_SUFFIX, "").replace(/\/+$/, "");
  if (path === "") path = "/v1";
  return { ok: true, normalized: `${url.protocol}//${url.host}${path}${url.search}` };
}

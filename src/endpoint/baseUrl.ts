// The base URL rules, the same as the native backend's (native/plugin/src/http/endpoint.rs), so the
// settings can show the normalized URL and a specific problem as the user types; the native side
// checks again before sending. tests/fixtures/shared-rules.json holds both to the same answers.
// A host name outside ASCII becomes punycode here (the URL parser applies IDNA); the native
// library has no Unicode IDNA tables and takes host names only in that ASCII form, which is what
// the panel sends it (the normalized URL).

/**
 * Path suffixes people paste along with the base URL; they are dropped, as many as there are, so
 * normalizing a normalized URL changes nothing (the native side normalizes what the panel sends).
 */
const OPERATION_SUFFIXES = ["/images/generations", "/images/edits", "/responses", "/models", "/chat/completions"];

/** 127.0.0.0/8 as the URL parser writes it (dotted decimal). */
const isLoopbackIpv4 = (host: string) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** `::1`, or an IPv4-mapped loopback address (`::ffff:7f00:1`, written in hex by the URL parser). */
function isLoopbackIpv6(host: string): boolean {
  const address = host.slice(1, -1);
  if (address === "::1") return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(address);
  return mapped !== null && parseInt(mapped[1] ?? "0", 16) >> 8 === 127;
}

/**
 * This computer: `localhost`, `*.localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback — the
 * one place plain http is safe by default (endpoints and image URLs alike). Takes a URL's `hostname`.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname.startsWith("[")) return isLoopbackIpv6(hostname.toLowerCase());
  const name = hostname.replace(/\.+$/, "").toLowerCase();
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackIpv4(name);
}

/** What is wrong with a base URL; the panel words it (i18n keys `baseUrl.<problem>`). */
export type BaseUrlProblem = "empty" | "notUrl" | "scheme" | "credentials" | "noHost" | "insecureHttp";
export type BaseUrlCheck = { ok: true; normalized: string } | { ok: false; problem: BaseUrlProblem };

const findSuffix = (path: string) => OPERATION_SUFFIXES.find((suffix) => path.endsWith(suffix));

function normalizePath(pathname: string): string {
  let path = pathname.replace(/\/+$/, "");
  for (let suffix = findSuffix(path); suffix; suffix = findSuffix(path)) path = path.slice(0, -suffix.length).replace(/\/+$/, "");
  return path === "" ? "/v1" : path;
}

/**
 * The host (and port) as written: after `://` (and any more slashes, which the URL parser skips for
 * http and https) and any `user@`, before the path, query or fragment.
 */
function hostPart(url: string): string {
  const afterScheme = (url.includes("://") ? url.slice(url.indexOf("://") + 3) : url).replace(/^[/\\]+/, "");
  const authority = afterScheme.split(/[/\\?#]/)[0] ?? "";
  return authority.slice(authority.lastIndexOf("@") + 1);
}

export function checkBaseUrl(raw: string, allowInsecureHttp: boolean): BaseUrlCheck {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, problem: "empty" };
  const withScheme = trimmed.includes("://") ? trimmed : `https://${trimmed}`;
  // A host name has no spaces: Chromium's URL parser would percent-encode them ("not a url" →
  // https://not%20a%20url/v1) where the spec and the native parser refuse the URL.
  if (/[\t\n\f\r ]/.test(hostPart(withScheme))) return { ok: false, problem: "notUrl" };
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: "notUrl" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "scheme" };
  if (url.username || url.password) return { ok: false, problem: "credentials" };
  if (!url.hostname) return { ok: false, problem: "noHost" };
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    return { ok: false, problem: "insecureHttp" };
  }
  return { ok: true, normalized: `${url.protocol}//${url.host}${normalizePath(url.pathname)}${url.search}` };
}

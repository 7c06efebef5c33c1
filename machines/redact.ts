// THE redaction function of the frontend: every string that leaves the plugin (log details, error
// summaries, UI messages) passes through it. The native backend has the same rules in the same
// order (native/plugin/src/safety/redact.rs); tests/fixtures/shared-rules.json holds both to them. The
// patterns use the ASCII whitespace set and ASCII word boundaries, where the two regex engines agree.

export const REDACTED = "[REDACTED]";

/** Known secrets shorter than this are not searched for: they would match ordinary words. */
export const MIN_SECRET_CHARS = 4;

type Rule = [RegExp, (match: string, name: string) => string];

const RULES: readonly Rule[] = [
  // data: URLs carry image or mask bytes.
  [/\bdata:[a-z0-9.+/-]*(?:;[a-z0-9.+=-]*)*,[^\t\n\v\f\r "'<>)\]]*/gi, () => `data:${REDACTED}`],
  // Credentials in quoted JSON fields, header lines and key=value text.
  [
    /"(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|secret|token|b64_json|mask)"[\t\n\v\f\r ]*:[\t\n\v\f\r ]*"(?:[^"\\]|\\[^\n])*"/gi,
    (_m, name) => `"${name}":"${REDACTED}"`,
  ],
  [/\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-goog-api-key)[\t\v\f ]*:[^\r\n]*/gi, (_m, name) => `${name}: ${REDACTED}`],
  [/\b(bearer|basic)[\t\n\v\f\r ]+[^\t\n\v\f\r "',;]+/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  [/\b(api[_-]?key|access[_-]?token|client[_-]?secret|password|secret|token)=[^&\t\n\v\f\r "'<>]+/gi, (_m, name) => `${name}=${REDACTED}`],
  // URL user info and query values (signed URLs, api-key=...).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\t\n\v\f\r ?#@"'<>]*@/gi, (_m, scheme) => `${scheme}${REDACTED}@`],
  [/([?&][^=&#\t\n\v\f\r "'<>]+)=[^&#\t\n\v\f\r "'<>]*/g, (_m, key) => `${key}=${REDACTED}`],
  // Key shapes: OpenAI-style keys, GitHub and AWS access keys, JWTs.
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, (_m, kind) => `${kind}-${REDACTED}`],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, () => REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, () => REDACTED],
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, () => REDACTED],
  // Long base64 runs: image bytes, masks, long tokens.
  [/[A-Za-z0-9+/_-]{64,}={0,2}/g, (match) => `[base64 ${match.length} chars]`],
];

const utf8 = new TextEncoder();

/** Percent-encoding of every byte but the unreserved ones, upper-case hex (as a URL would carry it). */
const percentEncode = (text: string) =>
  Array.from(utf8.encode(text), (byte) => (/[\w.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

/** Each secret raw, JSON-escaped and percent-encoded; longest (in UTF-8 bytes) first. */
function secretVariants(secrets: readonly string[]): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if ([...secret].length >= MIN_SECRET_CHARS) for (const variant of [secret, JSON.stringify(secret).slice(1, -1), percentEncode(secret)]) variants.add(variant);
  }
  return [...variants].sort((a, b) => utf8.encode(b).length - utf8.encode(a).length);
}

function replaceKnown(text: string, variants: readonly string[]): string {
  let out = text;
  // A replacement can splice a new occurrence together; repeat until stable (bounded).
  for (let round = 0; round < 8 && variants.some((v) => out.includes(v)); round += 1) {
    for (const variant of variants) out = out.split(variant).join(REDACTED);
  }
  return out;
}

/**
 * Removes secrets from a string: every occurrence of a known secret (the API key the user typed,
 * the prompt when it must not appear), raw, JSON-escaped or percent-encoded, then credentials
 * recognisable by context. If a known secret could still be found afterwards (only for a secret
 * made of the marker's own letters) the whole text is replaced: losing a message beats leaking.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  const variants = secretVariants(secrets);
  let out = replaceKnown(text, variants);
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (match: string, ...groups: string[]) => string);
  out = replaceKnown(out, variants);
  const leaks = (candidate: string) => variants.some((v) => candidate.includes(v));
  return leaks(out) ? ([REDACTED, "***", ""].find((c) => !leaks(c)) ?? "") : out;
}

/** The message of something thrown (an Error or anything else), redacted. */
export const redactError = (error: unknown): string => redact(error instanceof Error ? error.message : String(error));

/** A redacted, single-line summary of at most `max` characters. */
export function summarize(text: string, max = 200, secrets: readonly string[] = []): string {
  const line = redact(text, secrets).replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

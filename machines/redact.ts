// THE redaction function of the frontend: every string that leaves the plugin (log details, error
// summaries, UI messages) passes through it. The Rust side has its own twin for native strings.

const REDACTED = "[redacted]";

const RULES: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // data: URLs carry images or masks.
  [/data:[\w.+-]+\/[\w.+-]+(?:;[\w=.+-]+)*,[^\s"'<>)]*/gi, "data:[redacted]"],
  // Authorization-like headers and cookies, in "Header: value" or JSON "header":"value" form.
  [/\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key)(["']?\s*[:=]\s*["']?)[^"'\n,;}]+/gi, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`],
  // Bearer / Basic credentials anywhere.
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_m, scheme: string) => `${scheme} ${REDACTED}`],
  // OpenAI-style and other well-known key shapes.
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  // URL userinfo: scheme://user:pass@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, (_m, scheme: string) => `${scheme}${REDACTED}@`],
  // Query values (keys kept: they help diagnose, values may be secrets).
  [/([?&][^=\s&#"'<>]+=)[^&#\s"'<>]*/g, (_m, key: string) => `${key}${REDACTED}`],
  // JSON fields named like secrets.
  [/("(?:api_?key|apiKey|key|token|access_token|refresh_token|secret|password|b64_json|image|mask)"\s*:\s*")[^"]*"/gi, (_m, head: string) => `${head}${REDACTED}"`],
  // Long base64 / hex runs: image bytes, tokens.
  [/[A-Za-z0-9+/_-]{48,}={0,2}/g, REDACTED],
];

/**
 * Removes secrets from a string. `secrets` are exact values known to be secret (the API key the
 * user typed, the prompt when it must not appear) and are removed wherever they occur.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of RULES) {
    result = typeof replacement === "string" ? result.replace(pattern, replacement) : result.replace(pattern, replacement);
  }
  return result;
}

/** A redacted, single-line summary of at most `max` characters. */
/** The message of something thrown (an Error or anything else), redacted. */
export const redactError = (error: unknown): string => redact(error instanceof Error ? error.message : String(error));

export function summarize(text: string, max = 200, secrets: readonly string[] = []): string {
  const line = redact(text, secrets).replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

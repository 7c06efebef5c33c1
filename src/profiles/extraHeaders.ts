import { ExtraHeadersSchema } from "../schemas/profile.ts";

// Extra headers are typed one "Name: value" per line; the profile keeps them as an object.

export const headersText = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");

/** The headers the text holds, or the first line (1-based) that breaks the rules: not "Name: value", a credential's name, or too many. */
export function parseHeaders(text: string): { ok: true; headers: Record<string, string> } | { ok: false; line: number } {
  const headers: Record<string, string> = {};
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    if (!raw.trim()) continue;
    const colon = raw.indexOf(":");
    const name = colon > 0 ? raw.slice(0, colon).trim() : "";
    const value = raw.slice(colon + 1).trim();
    const next = { ...headers, [name]: value };
    if (!name || !ExtraHeadersSchema.safeParse(next).success) return { ok: false, line: index + 1 };
    headers[name] = value;
  }
  return { ok: true, headers };
}

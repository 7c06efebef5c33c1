import { isLoopbackHost } from "../endpoint/baseUrl.ts";

// Provider answers are untrusted: only images we can show safely ever reach an <img>.

const DATA_IMAGE = /^data:image\/(?:png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/;

/** The URL if it is safe to render as an image source, else undefined. */
export function safeImageSource(candidate: string): string | undefined {
  if (DATA_IMAGE.test(candidate)) return candidate;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  if (url.protocol === "https:") return url.href;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url.href;
  return undefined;
}


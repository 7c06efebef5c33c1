// What stays as it is in every language: brands, the development build's "Mock gateway" label,
// models, file formats, HTTP, keys and shortcuts (Ctrl+Z), sizes, URLs, request IDs.
const UNTRANSLATED = /[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}|\b[\da-f]{8}\b|HaloForge Cloud|HaloForge|Mock gateway|Mock|HTTP|gpt-image-[\w.-]+|chatgpt-image-latest|dall-e-\d|gpt-4\.1|Responses API|Images API|OpenAI|Azure|Google Gemini|Google|OpenRouter|xAI|SiliconFlow|Volcengine Ark|LocalAI|Ollama|Authorization: Bearer|Bearer|x-goog-api-key|api-key|Chat Completions|Multipart|JSON|Ctrl\+(?:Shift\+)?(?:Enter|[A-Z]\b)|Shift|Enter|https?:\/\/\S*|PNG|JPEG|WebP|ZIP|API|URL|\d+x\d+/g;

/** Every user-visible string (text nodes, option labels, accessible names, tooltips, placeholders) with English words left in it. A gateway's own quoted detail (`<q>`) and the user's own text (`userText`) are theirs. */
export function englishIn(root: Element, userText: readonly string[] = []): string[] {
  const strings: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest("q, [hidden]")) strings.push(node.textContent ?? "");
  }
  for (const element of root.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    if (element.closest("q")) continue;
    for (const name of ["aria-label", "title", "placeholder", "alt"]) strings.push(element.getAttribute(name) ?? "");
  }
  return strings.map((text) => userText.reduce((rest, own) => rest.replaceAll(own, ""), text).replace(UNTRANSLATED, "")).filter((text) => /[A-Za-z]{3,}/.test(text));
}


import type { GatewayCallEvent, RequestInput } from "../../machines/index.ts";
import { base64ToImageBlob } from "../images/base64Image.ts";
import { encodePng } from "./mockPng.ts";

// Development builds only (used behind the build mode check in mountPanel.ts): images drawn locally, no provider.

const hash = (text: string) => [...text].reduce((value, char) => (Math.imul(value, 31) + char.charCodeAt(0)) >>> 0, 7);

// Two colours from the prompt and a disc whose size shows the image's index.
function mockImage(prompt: string, index: number): Blob {
  const hue = (hash(prompt) + index * 47) % 360;
  const rgb = (h: number, l: number): [number, number, number] => {
    const k = (n: number) => (n + h / 30) % 12;
    const a = 0.6 * Math.min(l, 1 - l);
    const f = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
    return [f(0), f(8), f(4)];
  };
  const back = rgb(hue, 0.45);
  const disc = rgb((hue + 180) % 360, 0.65);
  const radius = 30 + index * 5;
  return base64ToImageBlob(encodePng(128, (x, y) => ((x - 64) ** 2 + (y - 64) ** 2 < radius ** 2 ? disc : back)), "image/png")!;
}

export async function callMockGateway(input: RequestInput, signal: AbortSignal, delayMs = 600): Promise<GatewayCallEvent[]> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (signal.aborted) return [];
  return [
    ...Array.from({ length: input.n }, (_, index): GatewayCallEvent => ({ type: "gateway.output", output: { src: mockImage(input.prompt, index) } })),
    { type: "gateway.done", providerRequestId: `mock-${hash(input.prompt).toString(16)}` },
  ];
}

import type { GatewayCallEvent, RequestInput } from "../../machines/index.ts";

// Development builds only (used behind the build mode check in mountPanel.ts): images drawn locally, no provider.

const hash = (text: string) => [...text].reduce((value, char) => (Math.imul(value, 31) + char.charCodeAt(0)) >>> 0, 7);

function mockImage(prompt: string, index: number): string {
  const hue = (hash(prompt) + index * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="hsl(${hue} 60% 45%)"/><circle cx="128" cy="128" r="${60 + index * 10}" fill="hsl(${(hue + 180) % 360} 70% 65%)"/></svg>`;
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

export async function callMockGateway(input: RequestInput, signal: AbortSignal, delayMs = 600): Promise<GatewayCallEvent[]> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (signal.aborted) return [];
  return [
    ...Array.from({ length: input.n }, (_, index): GatewayCallEvent => ({ type: "gateway.output", output: { src: mockImage(input.prompt, index) } })),
    { type: "gateway.done", providerRequestId: `mock-${hash(input.prompt).toString(16)}` },
  ];
}

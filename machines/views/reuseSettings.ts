import type { GatewayKind } from "../gatewayCall.ts";
import type { GatewayLabelKey } from "../labels.ts";

/** The gateway settings modes a reuse can switch to (Auto is never chosen: it may pick another gateway). */
export type ReuseMode = "cloud" | "custom" | "mock";

/** A recorded request as the composer takes it back: everything it was sent with. */
export interface ComposerFill<Image> {
  mode: "generate" | "edit";
  prompt: string;
  model: string;
  size: string;
  n: number;
  quality?: string;
  outputFormat?: string;
  background?: string;
  inputFidelity?: string;
  seed?: number;
  negativePrompt?: string;
  /** An edit's reference images and mask. */
  references?: { images: Image[]; mask?: Image };
  /** The gateway it went out on, and the endpoint description it carried (never a key). */
  gateway?: { kind: GatewayKind; endpoint?: { profileId?: string; baseUrl?: string } };
}

/** The facts a recorded request keeps that "Reuse settings" restores. */
export interface ReusableRecord<Image> {
  operation: "generate" | "edit";
  prompt: string;
  model: string;
  size: string;
  n: number;
  quality?: string;
  outputFormat?: string;
  background?: string;
  inputFidelity?: string;
  seed?: number;
  negativePrompt?: string;
  gatewayKind?: GatewayKind;
  gatewayLabelKey?: GatewayLabelKey;
  endpoint?: { profileId?: string; baseUrl?: string };
  references: Image[];
  mask?: Image;
}

const KIND_OF_LABEL: Record<GatewayLabelKey, GatewayKind> = { cloud: "managed", managed: "managed", custom: "custom", mock: "mock" };

/**
 * "Reuse settings" (card, result, history row): every field the request was sent with, an absent
 * option as absent (the model's default, not what the composer held), an edit's references and
 * mask, and its gateway. Nothing is sent, so nothing is billed until the user presses Generate.
 */
export function reuseFill<Image>(record: ReusableRecord<Image>): ComposerFill<Image> {
  const kind = record.gatewayKind ?? (record.gatewayLabelKey ? KIND_OF_LABEL[record.gatewayLabelKey] : undefined);
  return {
    mode: record.operation,
    prompt: record.prompt,
    model: record.model,
    size: record.size,
    n: record.n,
    quality: record.quality,
    outputFormat: record.outputFormat,
    background: record.background,
    inputFidelity: record.operation === "edit" ? record.inputFidelity : undefined,
    seed: record.seed,
    negativePrompt: record.negativePrompt,
    ...(record.operation === "edit" ? { references: { images: record.references, ...(record.mask ? { mask: record.mask } : {}) } } : {}),
    ...(kind ? { gateway: { kind, ...(record.endpoint ? { endpoint: record.endpoint } : {}) } } : {}),
  };
}

/**
 * The settings mode that sends the next request where `fill` went, or undefined when the gateway
 * in use (`current`, the status line's label) already is that one: a working setting is left alone.
 */
export function reuseGatewayMode(fill: Pick<ComposerFill<unknown>, "gateway">, current: GatewayLabelKey | undefined): ReuseMode | undefined {
  const kind = fill.gateway?.kind;
  if (!kind || (current && KIND_OF_LABEL[current] === kind)) return undefined;
  return kind === "managed" ? "cloud" : kind;
}

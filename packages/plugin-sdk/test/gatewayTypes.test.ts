// @vitest-environment jsdom
import { describe, expectTypeOf, it } from "vitest";
import type {
  EnterpriseGatewayApi,
  GatewayImageGenerationResult,
  GatewayOutputAsset,
  GatewayOutputAssetList,
  PluginGatewayImageEditFile,
  PluginGatewayImageEditRequest,
  PluginGatewayImageRequest,
} from "../src/index.ts";

// These assertions are checked by the type checker (`npm run typecheck`, part of `npm test`), not at
// run time: they pin the field names and optionality of the host bridge's image-gateway request and
// result types exactly, as the host declares them.

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

describe("image-gateway types match the host bridge", () => {
  it("PluginGatewayImageRequest has exactly the generation fields", () => {
    expectTypeOf<keyof PluginGatewayImageRequest>().toEqualTypeOf<
      | "model" | "prompt" | "size" | "n" | "quality" | "style" | "output_format" | "output_compression"
      | "moderation" | "response_format" | "user"
    >();
    expectTypeOf<RequiredKeys<PluginGatewayImageRequest>>().toEqualTypeOf<"model" | "prompt">();
    expectTypeOf<PluginGatewayImageRequest["response_format"]>().toEqualTypeOf<"url" | "b64_json" | undefined>();
  });

  it("PluginGatewayImageEditRequest has the edit fields, an optional model and no style", () => {
    expectTypeOf<keyof PluginGatewayImageEditRequest>().toEqualTypeOf<
      | "model" | "prompt" | "images" | "mask" | "size" | "n" | "quality" | "output_format" | "output_compression"
      | "moderation" | "response_format" | "user"
    >();
    expectTypeOf<RequiredKeys<PluginGatewayImageEditRequest>>().toEqualTypeOf<"prompt" | "images">();
    expectTypeOf<PluginGatewayImageEditRequest["images"]>().toEqualTypeOf<PluginGatewayImageEditFile[]>();
  });

  it("PluginGatewayImageEditFile needs a file name and base64 data", () => {
    expectTypeOf<keyof PluginGatewayImageEditFile>().toEqualTypeOf<"field_name" | "file_name" | "content_type" | "b64_json">();
    expectTypeOf<RequiredKeys<PluginGatewayImageEditFile>>().toEqualTypeOf<"file_name" | "b64_json">();
    expectTypeOf<"image[]">().toExtend<NonNullable<PluginGatewayImageEditFile["field_name"]>>();
  });

  it("results, assets and the asset list have the host's fields", () => {
    expectTypeOf<keyof GatewayImageGenerationResult>().toEqualTypeOf<"created" | "hf_output_assets" | "data">();
    expectTypeOf<NonNullable<GatewayImageGenerationResult["data"]>[number]>().toEqualTypeOf<{
      url?: string;
      b64_json?: string;
      revised_prompt?: string;
    }>();
    expectTypeOf<RequiredKeys<GatewayOutputAsset>>().toEqualTypeOf<
      "id" | "endpoint" | "object_ref" | "public_url" | "content_type" | "checksum_sha256" | "size_bytes"
    >();
    expectTypeOf<Exclude<keyof GatewayOutputAsset, RequiredKeys<GatewayOutputAsset>>>().toEqualTypeOf<
      | "actor_user_id" | "upstream_channel_id" | "model" | "source" | "retention_expires_at" | "request_log_id"
      | "status" | "scan_status" | "share_scope" | "created_at" | "updated_at"
    >();
    expectTypeOf<GatewayOutputAsset["size_bytes"]>().toEqualTypeOf<number>();
    expectTypeOf<GatewayOutputAsset["retention_expires_at"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<GatewayOutputAsset["request_log_id"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<GatewayOutputAssetList>().toEqualTypeOf<{ outputs: GatewayOutputAsset[] }>();
  });

  it("EnterpriseGatewayApi takes requests without the plugin id", () => {
    expectTypeOf<EnterpriseGatewayApi["generateImages"]>().parameters.toEqualTypeOf<[PluginGatewayImageRequest]>();
    expectTypeOf<EnterpriseGatewayApi["editImages"]>().parameters.toEqualTypeOf<[PluginGatewayImageEditRequest]>();
    expectTypeOf<EnterpriseGatewayApi["listOutputs"]>().parameters.toEqualTypeOf<[limit?: number]>();
    expectTypeOf<EnterpriseGatewayApi["listOutputs"]>().returns.toEqualTypeOf<Promise<GatewayOutputAssetList>>();
  });
});

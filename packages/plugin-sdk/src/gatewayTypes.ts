// Image-gateway types of the host's managed gateway bridge (crate/SDK 0.2.16, exact field names).

export interface PluginGatewayImageRequest {
  model: string;
  prompt: string;
  size?: string;
  n?: number;
  quality?: string;
  style?: string;
  output_format?: string;
  output_compression?: number;
  moderation?: string;
  response_format?: "url" | "b64_json";
  user?: string;
}

export interface PluginGatewayImageEditFile {
  field_name?: "image" | (string & {});
  file_name: string;
  content_type?: string;
  b64_json: string;
}

export interface PluginGatewayImageEditRequest {
  model?: string;
  prompt: string;
  images: PluginGatewayImageEditFile[];
  mask?: PluginGatewayImageEditFile;
  size?: string;
  n?: number;
  quality?: string;
  output_format?: string;
  output_compression?: number;
  moderation?: string;
  response_format?: "url" | "b64_json";
  user?: string;
}

export interface GatewayOutputAsset {
  id: string;
  endpoint: string;
  object_ref: string;
  public_url: string;
  content_type: string;
  checksum_sha256: string;
  size_bytes: number;
  actor_user_id?: string;
  upstream_channel_id?: string;
  model?: string;
  source?: string;
  retention_expires_at?: string | null;
  request_log_id?: number | null;
  status?: string;
  scan_status?: string;
  share_scope?: string;
  created_at?: string;
  updated_at?: string;
}

export interface GatewayImageGenerationResult {
  created?: number;
  hf_output_assets?: GatewayOutputAsset[];
  data?: { url?: string; b64_json?: string; revised_prompt?: string }[];
}

export interface GatewayOutputAssetList {
  outputs: GatewayOutputAsset[];
}

export interface EnterpriseGatewayApi {
  generateImages(request: PluginGatewayImageRequest): Promise<GatewayImageGenerationResult>;
  editImages(request: PluginGatewayImageEditRequest): Promise<GatewayImageGenerationResult>;
  listOutputs(limit?: number): Promise<GatewayOutputAssetList>;
}

import { z } from "zod";

// The plugin manifest as HaloForge's crate (haloforge-plugin-api 0.2.16) parses it, plus the rules
// its packer's `check` adds (HOST-CONTRACT.md §3, §6). This schema is the single source of the
// TypeScript manifest type; scripts/plugin-check.ts and the Rust corpus test must agree with it.

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export const HOST_CAPABILITIES = [
  "navigation",
  "app_state",
  "file_intents",
  "file_dialogs",
  "aichat",
  "enterprise_gateway",
  "deep_links",
  "theme_read",
  "event_subscribe",
] as const;

/** Permission types that take no value, by tier (HOST-CONTRACT.md §3.4, crate 0.2.16). */
export const UNIT_PERMISSIONS = [
  "ui_inject",
  "events_listen",
  "database_create_tables",
  "app_config_read",
  "notifications",
  "host_app_state_read",
  "host_theme_read",
  "database_read_all",
  "ipc_register",
  "events_emit",
  "host_navigation",
  "host_file_intents",
  "host_file_dialogs",
  "host_aichat_access",
  "host_enterprise_gateway_access",
  "host_deep_links",
  "host_event_subscribe",
  "filesystem_read",
  "filesystem_read_app_data",
  "filesystem_write",
  "filesystem_write_app_data",
  "network_http",
  "clipboard_read",
  "clipboard_write",
  "process_spawn",
] as const;

/** Permission types whose `value` is one string. */
export const STRING_VALUE_PERMISSIONS = ["database_read", "network_http_domain", "database_write"] as const;
/** Permission types whose `value` is a list of strings. */
export const LIST_VALUE_PERMISSIONS = ["process_spawn_whitelist"] as const;

export const OPEN_MODES = ["smart", "current", "new_window", "reuse_existing", "reuse_or_new"] as const;
export const REUSE_KEYS = ["plugin", "route", "resource", "none"] as const;
export const RESERVED_MODULE_IDS = ["devkit", "aichat", "settings"] as const;
export const NATIVE_PLATFORM_KEYS = [
  "macos_arm64",
  "macos_x64",
  "windows_x64",
  "windows_arm64",
  "linux_x64",
  "linux_arm64",
] as const;
export type NativePlatformKey = (typeof NATIVE_PLATFORM_KEYS)[number];

const describeInput = (input: unknown): string =>
  input === null ? "null" : Array.isArray(input) ? "an array" : typeof input;

const requiredString = () =>
  z.string({
    error: (issue) => (issue.input === undefined ? "is required" : `must be a string, not ${describeInput(issue.input)}`),
  });

const nonBlank = () => requiredString().refine((value) => value.trim().length > 0, "must not be blank");

// `Option<String>` in the crate: absent and null both mean "not set".
const optionalString = () => requiredString().nullish();

const semver = () =>
  nonBlank().refine((value) => SEMVER.test(value), "must be a semantic version X.Y.Z[-pre][+build]");

/** A path inside the package: relative, no `..` segment, no drive or UNC prefix. */
export function isPackagePath(path: string): boolean {
  if (path.trim() === "") return false;
  if (/^[/\\]/.test(path) || /^[A-Za-z]:/.test(path)) return false;
  return !path.split(/[/\\]/).some((segment) => segment === "..");
}

const packagePath = () =>
  nonBlank().refine(isPackagePath, "must be a relative path inside the plugin (no leading / and no ..)");

const stringList = () =>
  z.array(requiredString(), { error: (issue) => `must be a list of strings, not ${describeInput(issue.input)}` });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? "is required" : `must be one of ${values.join(", ")}, not ${JSON.stringify(issue.input)}`,
  });

const object = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.object(shape, {
    error: (issue) => (issue.input === undefined ? "is required" : `must be an object, not ${describeInput(issue.input)}`),
  });

const capabilityLevel = z
  .number({ error: (issue) => `must be an integer from 0 to 4, not ${describeInput(issue.input)}` })
  .int("must be an integer from 0 to 4")
  .min(0, "must be an integer from 0 to 4")
  .max(4, "must be an integer from 0 to 4 (the packer rejects higher levels)");

const Level0 = object({
  module_id: nonBlank().refine(
    (id) => !(RESERVED_MODULE_IDS as readonly string[]).includes(id),
    `must not be one of the host's modules (${RESERVED_MODULE_IDS.join(", ")})`,
  ),
  module_label: nonBlank(),
  module_icon: nonBlank(),
  sidebar_position: oneOf(["main", "bottom"]).optional(),
  sidebar_order: z.number().int().min(0, "must be a non-negative integer").optional(),
  panel_entry: packagePath(),
});

const Level1 = object({
  parent_module: nonBlank(),
  tab_id: nonBlank(),
  tab_label: nonBlank(),
  tab_icon: nonBlank(),
  tab_position: optionalString(),
  panel_entry: packagePath(),
});

const Level3 = object({
  assistant_id: nonBlank(),
  assistant_name: nonBlank(),
  assistant_icon: optionalString(),
  assistant_description: optionalString(),
  system_prompt_file: packagePath(),
  preferred_model: optionalString(),
});

const DocumentHandler = object({
  id: optionalString(),
  label: optionalString(),
  extensions: stringList().optional(),
  mime_types: stringList().optional(),
  route: nonBlank(),
  resource_param: optionalString(),
  open_mode: oneOf(OPEN_MODES).nullish(),
  reuse_key: oneOf(REUSE_KEYS).nullish(),
  allow_multiple: z.boolean().nullish(),
}).refine(
  (handler) => (handler.extensions?.length ?? 0) + (handler.mime_types?.length ?? 0) > 0,
  "a document handler needs extensions or mime_types",
);

const Permission = z
  .object({ type: z.unknown().optional(), value: z.unknown().optional() }, { error: "must be an object like { \"type\": \"network_http\" }" })
  .superRefine((permission, ctx) => {
    const { type, value } = permission;
    if (typeof type !== "string") {
      ctx.addIssue({ code: "custom", path: ["type"], message: type === undefined ? "is required" : "must be a string" });
      return;
    }
    if (type === "host_a_i_chat_access") {
      ctx.addIssue({ code: "custom", path: ["type"], message: 'unknown permission "host_a_i_chat_access"; did you mean "host_aichat_access"?' });
    } else if ((UNIT_PERMISSIONS as readonly string[]).includes(type)) {
      if (value !== undefined && value !== null) {
        ctx.addIssue({ code: "custom", path: ["value"], message: `"${type}" takes no value` });
      }
    } else if ((STRING_VALUE_PERMISSIONS as readonly string[]).includes(type)) {
      if (typeof value !== "string" || value.trim() === "") {
        ctx.addIssue({ code: "custom", path: ["value"], message: `"${type}" needs a non-blank string value` });
      }
    } else if ((LIST_VALUE_PERMISSIONS as readonly string[]).includes(type)) {
      if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        ctx.addIssue({ code: "custom", path: ["value"], message: `"${type}" needs a list of strings as value` });
      }
    } else {
      ctx.addIssue({ code: "custom", path: ["type"], message: `unknown permission "${type}"` });
    }
  });

export const PluginManifestSchema = z.looseObject(
  {
  id: nonBlank(),
  name: nonBlank(),
  version: semver(),
  description: nonBlank(),
  author: nonBlank(),
  long_description: optionalString(),
  author_url: optionalString(),
  homepage: optionalString(),
  license: optionalString(),
  icon: packagePath().nullish(),
  keywords: stringList().optional(),
  compatibility: object({
    min_app_version: nonBlank(),
    min_host_api_version: semver().nullish(),
    max_app_version: optionalString(),
    platforms: stringList().optional(),
  }),
  capability_levels: z
    .array(capabilityLevel, { error: (issue) => (issue.input === undefined ? "is required" : "must be a list of integers") })
    .min(1, "must list at least one capability level"),
  integration: object({
    level0: Level0.nullish(),
    level1: Level1.nullish(),
    level2: object({ slots: stringList() }).nullish(),
    level3: Level3.nullish(),
    level4: object({ workflow_step_types: stringList().optional() }).nullish(),
  }).optional(),
  window: object({
    default_open_mode: oneOf(OPEN_MODES).nullish(),
    reuse_key: oneOf(REUSE_KEYS).nullish(),
    allow_multiple: z.boolean({ error: "must be true or false" }).nullish(),
    document_handlers: z.array(DocumentHandler).optional(),
  }).optional(),
  entry: object({
    frontend: packagePath().nullish(),
    frontend_styles: packagePath().nullish(),
    native: object({
      macos_arm64: packagePath().nullish(),
      macos_x64: packagePath().nullish(),
      windows_x64: packagePath().nullish(),
      windows_arm64: packagePath().nullish(),
      linux_x64: packagePath().nullish(),
      linux_arm64: packagePath().nullish(),
    }).nullish(),
  }).optional(),
  dependencies: z.array(object({ id: nonBlank(), version: nonBlank() })).optional(),
  permissions: z.array(Permission).optional(),
  host_capabilities: z.array(oneOf(HOST_CAPABILITIES)).optional(),
  settings_schema: z.unknown().optional(),
  commands: z.array(object({ id: nonBlank(), description: optionalString() })).optional(),
  checksum: optionalString(),
  },
  { error: (issue) => `the manifest must be a JSON object, not ${describeInput(issue.input)}` },
);

export type PluginManifest = z.infer<typeof PluginManifestSchema>;

/** Every problem of a manifest as `path: message`, in document order; empty when valid. */
export function manifestProblems(input: unknown): string[] {
  const result = PluginManifestSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "manifest";
    return `${path}: ${issue.message}`;
  });
}

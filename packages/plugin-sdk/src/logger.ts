import { hostInvoke } from "./hostIpc.ts";
import { _getPluginId } from "./pluginId.ts";

export type PluginLogLevel = "trace" | "debug" | "info" | "warn" | "error";

export interface PluginLogOptions {
  level?: PluginLogLevel;
  message: string;
  details?: unknown;
  scope?: string;
}

export interface PluginLogger {
  trace(message: string, details?: unknown): Promise<void>;
  debug(message: string, details?: unknown): Promise<void>;
  info(message: string, details?: unknown): Promise<void>;
  warn(message: string, details?: unknown): Promise<void>;
  error(message: string, details?: unknown): Promise<void>;
}

/** The `frontend_log_event` payload, exactly the keys the host reads. */
interface LogRecord {
  level: PluginLogLevel;
  scope: string;
  message: string;
  details: unknown;
}

function logScope(scope: unknown): string {
  const pluginId = _getPluginId();
  const base = pluginId ? `plugin:${pluginId}` : "plugin";
  const suffix = typeof scope === "string" ? scope.trim() : "";
  return suffix ? `${base}:${suffix}` : base;
}

// Tolerates untyped callers (a non-string message, a missing options object): a log call must
// never be the thing that throws.
function toRecord(options: Partial<PluginLogOptions> | null | undefined): LogRecord {
  const raw = options?.message;
  const message = (typeof raw === "string" ? raw : String(raw ?? "")).trim();
  return {
    level: options?.level ?? "info",
    scope: logScope(options?.scope),
    message: message || "Plugin log event",
    details: options?.details ?? null,
  };
}

function consoleFor(level: PluginLogLevel): (...data: unknown[]) => void {
  if (level === "error") return console.error;
  if (level === "warn") return console.warn;
  if (level === "debug") return console.debug;
  return console.info; // info, trace and anything unknown
}

/**
 * Writes one record to HaloForge's log through `frontend_log_event`. Never rejects: when the host
 * cannot take the record (or there is no host), it goes to the console instead.
 */
export function log(options: PluginLogOptions): Promise<void>;
export function log(level: PluginLogLevel, message?: string, details?: unknown, scope?: string): Promise<void>;
export async function log(
  levelOrOptions: PluginLogLevel | PluginLogOptions,
  message?: string,
  details?: unknown,
  scope?: string,
): Promise<void> {
  const record = toRecord(
    typeof levelOrOptions === "string" ? { level: levelOrOptions, message: message ?? "", details, scope } : levelOrOptions,
  );
  try {
    await hostInvoke<void>("log", "frontend_log_event", { ...record });
  } catch (error) {
    consoleFor(record.level)(`[${record.scope}] ${record.message}`, record.details ?? "", error);
  }
}

/** A logger whose records carry `plugin:<id>:<scope>` (or `plugin:<id>` without a scope). */
export function createPluginLogger(scope?: string): PluginLogger {
  const at =
    (level: PluginLogLevel) =>
    (message: string, details?: unknown): Promise<void> =>
      log(level, message, details, scope);
  return { trace: at("trace"), debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

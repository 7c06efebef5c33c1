import { hostInvoke } from "./hostIpc.ts";
import { _getPluginId } from "./pluginId.ts";

export type PluginLogLevel = "trace" | "debug" | "info" | "warn" | "error";

export interface PluginLogEvent {
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

function logScope(scope: string | undefined): string {
  const pluginId = _getPluginId();
  const base = pluginId ? `plugin:${pluginId}` : "plugin";
  return scope && scope.trim() ? `${base}:${scope.trim()}` : base;
}

const consoleFor: Record<PluginLogLevel, (...data: unknown[]) => void> = {
  trace: (...data) => console.info(...data),
  debug: (...data) => console.debug(...data),
  info: (...data) => console.info(...data),
  warn: (...data) => console.warn(...data),
  error: (...data) => console.error(...data),
};

/**
 * Writes one record to HaloForge's daily log through `frontend_log_event`. Never rejects: when the
 * host cannot take it, the record goes to the console instead.
 */
export function log(event: PluginLogEvent): Promise<void>;
export function log(level: PluginLogLevel, message?: string, details?: unknown, scope?: string): Promise<void>;
export async function log(
  levelOrEvent: PluginLogLevel | PluginLogEvent,
  message?: string,
  details?: unknown,
  scope?: string,
): Promise<void> {
  const event: PluginLogEvent =
    typeof levelOrEvent === "object" ? levelOrEvent : { level: levelOrEvent, message: message ?? "", details, scope };
  const level = event.level ?? "info";
  const payload = {
    level,
    scope: logScope(event.scope),
    message: event.message.trim() || "Plugin log event",
    details: event.details ?? null,
  };
  try {
    await hostInvoke<void>("log", "frontend_log_event", payload);
  } catch (error) {
    const details = payload.details === null ? [] : [payload.details];
    consoleFor[level](`[${payload.scope}] ${payload.message}`, ...details, error);
  }
}

export function createPluginLogger(scope?: string): PluginLogger {
  const at =
    (level: PluginLogLevel) =>
    (message: string, details?: unknown): Promise<void> =>
      log({ level, message, details, scope });
  return { trace: at("trace"), debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

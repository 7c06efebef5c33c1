export interface PluginNotification {
  title: string;
  message: string;
  kind?: "info" | "success" | "warning" | "error";
  duration?: number;
}

type ToastEmitter = (notification: PluginNotification) => void;
let toastEmitter: ToastEmitter | undefined;

/** Installed by the host when it reaches this bundle's SDK copy. */
export function _setToastEmitter(emitter: ToastEmitter | undefined): void {
  toastEmitter = emitter;
}

export function notify(notification: PluginNotification): void {
  if (toastEmitter) toastEmitter(notification);
  else console.info(`[plugin toast] ${notification.title}: ${notification.message}`);
}

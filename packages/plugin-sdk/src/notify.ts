export interface NotifyOptions {
  title: string;
  message: string;
  kind?: "info" | "success" | "warning" | "error";
  duration?: number;
}

type ToastEmitter = (options: NotifyOptions) => void;
let toastEmitter: ToastEmitter | undefined;

/** Installed by the host when it reaches this bundle's SDK copy (undocumented, so never assumed). */
export function _setToastEmitter(emitter: ToastEmitter | undefined): void {
  toastEmitter = emitter;
}

export function notify(options: NotifyOptions): void {
  if (toastEmitter) toastEmitter(options);
  else console.info(`[plugin toast] ${options.title}: ${options.message}`);
}

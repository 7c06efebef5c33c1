import { _getPluginId, invokePlugin, listenHostEvent } from "@haloforge/plugin-sdk";
import { ProgressAnswerSchema, type GatewayCallEvent } from "../../machines/index.ts";
import { imageFromBase64 } from "./answers.ts";

/** The poll's pace while a stream runs: the sure path (a host may never deliver the plugin event;
 * Tauri refuses event names with dots), and cheap (an answer without new partials has no bytes). */
export const PROGRESS_POLL_MS = 40;

/**
 * Follows one streaming call's partial images until the returned function is called: the native
 * `request_progress` is asked every `PROGRESS_POLL_MS` and at once when the plugin event
 * `request_progress` announces a newer `seq`, whichever comes first. `after` is the newest `seq`
 * seen, so no image's bytes come twice; only the newest partial of each answer is sent on.
 */
export function followPartials(requestId: string, outputFormat: string | undefined, send: (event: GatewayCallEvent) => void): () => void {
  let after = 0;
  let busy = false;
  let again = false;
  let stopped = false;
  const fetchNew = async (): Promise<void> => {
    if (busy) return void (again = true);
    busy = true;
    try {
      const answer = ProgressAnswerSchema.safeParse(await invokePlugin("request_progress", { requestId, after }));
      const newest = answer.success ? answer.data.partials?.reduce<(typeof answer.data.partials)[number] | undefined>((a, b) => (a && a.seq > b.seq ? a : b), undefined) : undefined;
      const src = newest && newest.seq > after && imageFromBase64(newest.b64_json, newest.outputFormat ?? outputFormat ?? "png");
      if (newest && newest.seq > after) after = newest.seq;
      if (src && !stopped) send({ type: "gateway.partial", seq: newest.seq, src });
    } catch {
      // A failed poll proves nothing: the next one asks again, and the call's own answer decides.
    }
    busy = false;
    if (again && !stopped) {
      again = false;
      void fetchNew();
    }
  };
  const timer = setInterval(() => void fetchNew(), PROGRESS_POLL_MS);
  const unlisten = listenHostEvent<{ requestId?: string; seq?: number }>(`plugin:${_getPluginId()}:request_progress`, (payload) => {
    if (payload?.requestId === requestId && (payload.seq ?? 0) > after) void fetchNew();
  }).catch(() => undefined);
  return () => {
    stopped = true;
    clearInterval(timer);
    void unlisten.then((stop) => stop?.());
  };
}

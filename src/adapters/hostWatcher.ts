import type { HostEvent } from "../../machines/index.ts";
import { hasManagedGateway } from "./managedGateway.ts";

/** How often the bridge's presence is read again: it appears or goes away without an event. */
export const BRIDGE_POLL_MS = 3_000;

/**
 * The host facts the core cannot ask for: the bridge appearing or going away, and the panel's
 * window coming back into view (focus, or the document becoming visible), when a sign-in or
 * sign-out elsewhere may have happened; and the page going away (`pagehide`: a reload, a
 * navigation, the window closing), before the browser aborts the calls in flight. Returns the cleanup.
 */
export function watchHost(sendBack: (event: HostEvent) => void, { pollMs = BRIDGE_POLL_MS, present = hasManagedGateway } = {}): () => void {
  let known = present();
  const checkBridge = () => {
    const now = present();
    if (now !== known) sendBack({ type: "host.bridge", present: now });
    known = now;
  };
  const onFocus = () => {
    checkBridge();
    sendBack({ type: "host.focus" });
  };
  const onVisibility = () => {
    if (document.visibilityState === "visible") onFocus();
  };
  // A page kept in the back/forward cache is frozen whole and may come back: nothing is torn down.
  const onPageHide = (event: PageTransitionEvent) => {
    if (!event.persisted) sendBack({ type: "panel.stopping" });
  };
  window.addEventListener("focus", onFocus);
  window.addEventListener("pagehide", onPageHide);
  document.addEventListener("visibilitychange", onVisibility);
  const timer = setInterval(checkBridge, pollMs);
  return () => {
    window.removeEventListener("focus", onFocus);
    window.removeEventListener("pagehide", onPageHide);
    document.removeEventListener("visibilitychange", onVisibility);
    clearInterval(timer);
  };
}

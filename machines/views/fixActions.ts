import type { FixKey } from "../labels.ts";

/**
 * The one fix a card or the status line offers, and what applying it does: signing in happens in
 * HaloForge, so "Check again" only asks the core to look at the session again (free);
 * `enableStreaming` turns streaming on for the failed request's profile (a proxy that gives up on
 * a silent connection keeps a streamed one open); every other fix is made in the settings.
 */
export type FixAction =
  | { fix: FixKey; send: { type: "user.checkSession" } }
  | { fix: "enableStreaming"; enable: "streaming" }
  | { fix: FixKey; open: "settings" };

export const fixAction = (fix: FixKey): FixAction =>
  fix === "signIn" ? { fix, send: { type: "user.checkSession" } } : fix === "enableStreaming" ? { fix, enable: "streaming" } : { fix, open: "settings" };

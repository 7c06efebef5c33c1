// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { watchHost } from "../../src/adapters/hostWatcher.ts";
import type { HostEvent } from "../../machines/index.ts";

const pageHide = (persisted: boolean) => Object.assign(new Event("pagehide"), { persisted });

describe("the host watcher", () => {
  it("says the panel is stopping when the page goes away, not when it is kept in the back/forward cache", () => {
    const events: HostEvent[] = [];
    const stop = watchHost((event) => void events.push(event), { present: () => false });
    window.dispatchEvent(pageHide(true));
    expect(events).toEqual([]);
    window.dispatchEvent(pageHide(false));
    expect(events).toEqual([{ type: "panel.stopping" }]);
    stop();
    window.dispatchEvent(pageHide(false));
    expect(events).toHaveLength(1);
  });
});

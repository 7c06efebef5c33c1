// @vitest-environment jsdom
import { mount } from "@vue/test-utils";
import { Star as starNode } from "lucide";
import { describe, expect, it } from "vitest";
import { h } from "vue";
import { Star, X } from "../../src/components/icons.ts";

describe("panel icons", () => {
  it("draw lucide's shapes in a 24-unit stroke-only svg at the asked size", () => {
    const svg = mount({ render: () => h(Star, { size: 14 }) }).get("svg");
    expect(svg.attributes()).toMatchObject({ width: "14", height: "14", viewBox: "0 0 24 24", fill: "none", stroke: "currentColor" });
    const drawn = svg.findAll("path").map((path) => path.attributes("d"));
    expect(drawn).toEqual(starNode.filter(([tag]) => tag === "path").map(([, attributes]) => attributes.d));
  });

  it("pass other attributes through to the svg and fill when asked", () => {
    const svg = mount({ render: () => h(Star, { size: 16, fill: "currentColor", "aria-hidden": "true", class: "on" }) }).get("svg");
    expect(svg.attributes()).toMatchObject({ fill: "currentColor", "aria-hidden": "true", class: "on" });
  });

  it("default to lucide's 24 px", () => {
    expect(mount({ render: () => h(X) }).get("svg").attributes("width")).toBe("24");
  });
});

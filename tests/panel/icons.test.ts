// @vitest-environment jsdom
import { mount } from "@vue/test-utils";
import { Star as starNode } from "lucide";
import { describe, expect, it } from "vitest";
import { h } from "vue";
import { Star, X } from "../../src/components/icons.ts";

describe("panel icons", () => {
  it("draw lucide's shapes in a 24-unit stroke-only svg at the asked size", () => {
    const svg = mount({ render: () => h(Star, { size: 16 }) }).get("svg");
    expect(svg.attributes()).toMatchObject({ width: "16", height: "16", viewBox: "0 0 24 24", fill: "none", stroke: "currentColor" });
    const drawn = svg.findAll("path").map((path) => path.attributes("d"));
    expect(drawn).toEqual(starNode.filter(([tag]) => tag === "path").map(([, attributes]) => attributes.d));
  });

  it("pass other attributes through to the svg and fill when asked", () => {
    const svg = mount({ render: () => h(Star, { size: 16, fill: "currentColor", class: "on" }) }).get("svg");
    expect(svg.attributes()).toMatchObject({ fill: "currentColor", class: "on" });
  });

  it("are 14 px and hidden from assistive technology unless told otherwise", () => {
    const svg = mount({ render: () => h(X) }).get("svg");
    expect(svg.attributes()).toMatchObject({ width: "14", "aria-hidden": "true" });
  });
});

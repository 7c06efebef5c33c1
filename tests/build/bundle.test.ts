// @vitest-environment jsdom
// Runs the built bundle (npm run build) the way the host does: a classic script with React and
// ReactDOM as globals and the plugin registry on window.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runInThisContext } from "node:vm";
import * as React from "react";
import { act } from "react";
import * as ReactDOM from "react-dom";
import { createRoot } from "react-dom/client";
import { beforeAll, describe, expect, it } from "vitest";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const dist = join(import.meta.dirname, "../../dist");
const bundlePath = join(dist, "index.js");
const stylesPath = join(dist, "styles.css");

interface Definition {
  _type: string;
  panel?: React.ComponentType;
}

beforeAll(() => {
  if (!existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run npm run build before the tests.`);
});

function loadBundle(): Map<string, Definition> {
  const registered = new Map<string, Definition>();
  const host = globalThis as unknown as Record<string, unknown>;
  host.React = React;
  host.ReactDOM = ReactDOM;
  host.__hf_plugin_registry = {
    register: (id: string, definition: Definition) => registered.set(id, definition),
    get: (id: string) => registered.get(id),
    getAll: () => registered,
  };
  // A classic script in this window's global scope, as the host's <script> would run it.
  runInThisContext(readFileSync(bundlePath, "utf8"), { filename: "dist/index.js" });
  return registered;
}

describe("the production bundle", () => {
  it("is one IIFE that takes React and ReactDOM from the host", () => {
    const code = readFileSync(bundlePath, "utf8");
    expect(code).not.toMatch(/\bimport\s*[{(*]|\brequire\(/);
    expect(code).toMatch(/\(React\b|\bReact\)/);
    expect(code).not.toContain("process.env");
    // React itself is not bundled: its internals marker would be.
    expect(code).not.toContain("__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE");
  });

  it("registers the plugin under its manifest id and renders the Vue panel through the host's React", () => {
    const registered = loadBundle();
    const definition = registered.get("dev.haloforge.managed-image-gateway");
    expect(definition?._type).toBe("feature");
    expect(typeof definition?.panel).toBe("function");

    const container = document.createElement("div");
    document.body.append(container);
    const root = createRoot(container);
    act(() => root.render(React.createElement(definition!.panel!)));
    expect(container.querySelector(".hfmig-root")).not.toBeNull();
    act(() => root.unmount());
    expect(container.childNodes).toHaveLength(0);
  });

  it("scopes every CSS rule under the plugin's root class", () => {
    const css = readFileSync(stylesPath, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    // A selector starts right after a delimiter and never with "@" (at-rule preludes are skipped).
    const selectors = [...css.matchAll(/(?:^|[{};])\s*([^{}@;\s][^{};]*)\{/g)]
      .map((match) => match[1]!.trim())
      .filter((selector) => selector && !/^(?:from|to|\d+%)$/.test(selector));
    expect(selectors.length).toBeGreaterThan(0);
    for (const list of selectors) {
      for (const selector of list.split(",")) expect(selector.trim()).toMatch(/^\.hfmig-root\b/);
    }
  });
});

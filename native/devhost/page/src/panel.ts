import { Component, createElement, type ErrorInfo, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { PluginDefinition } from "./types.ts";

interface BoundaryState {
  error: Error | null;
}

/** Shows a panel's render error in the module area instead of a blank page. */
class PanelErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };
  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("[devhost] the panel threw while rendering", error, info.componentStack);
  }
  override render(): ReactNode {
    if (this.state.error) return createElement("pre", { className: "devhost-error", role: "alert" }, `The panel failed: ${this.state.error.message}`);
    return this.props.children;
  }
}

/** Renders `definition.panel` into the module area, as the host does for a Level 0 module. */
export class PanelMount {
  private root: Root | null = null;

  constructor(
    private readonly area: HTMLElement,
    private readonly definition: PluginDefinition,
  ) {}

  mount(): void {
    const Panel = this.definition.panel;
    if (!Panel) throw new Error("The plugin registered no panel (definition.panel is missing).");
    this.root = createRoot(this.area);
    this.root.render(createElement(PanelErrorBoundary, null, createElement(Panel as () => ReactNode)));
    this.definition.onMount?.();
  }

  unmount(): void {
    if (!this.root) return;
    this.root.unmount();
    this.root = null;
    this.definition.onUnmount?.();
  }

  remount(): void {
    this.unmount();
    this.mount();
  }
}

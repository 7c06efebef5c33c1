import { createElement, useEffect, useRef, type ReactElement } from "react";
import { mountPanel } from "../app/mountPanel.ts";

/**
 * The React component the host renders (it only renders React panels): an empty element owned
 * by Vue from mount to cleanup. React never touches its children.
 */
export function VuePanelHost(): ReactElement {
  const elementRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = elementRef.current;
    if (!element) return undefined;
    return mountPanel(element);
  }, []);
  return createElement("div", { ref: elementRef, className: "hfmig-host", style: { height: "100%", minHeight: 0 } });
}

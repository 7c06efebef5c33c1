import { createElement, useEffect, useRef, type ReactElement } from "react";

/** Mounts a Vue app into an element and returns the function that undoes it completely. */
export type VueMount = (element: HTMLElement) => () => void;

/**
 * The React component the host renders (it only renders React panels): an empty element owned
 * by Vue from mount to cleanup. React never touches its children.
 */
export function reactPanelFor(mount: VueMount): () => ReactElement {
  return function VuePanelHost(): ReactElement {
    const elementRef = useRef<HTMLDivElement>(null);
    useEffect(() => {
      const element = elementRef.current;
      if (!element) return undefined;
      return mount(element);
    }, []);
    return createElement("div", { ref: elementRef, className: "hfmig-host", style: { height: "100%", minHeight: 0 } });
  };
}

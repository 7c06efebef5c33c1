import { inject, type InjectionKey } from "vue";

export const CLOCK_KEY: InjectionKey<() => number> = Symbol("hfmig-clock");

/** The panel's clock (milliseconds since the epoch): the one provided at mount, else the system's. Tests provide a fixed one. */
export const useClock = (): (() => number) => inject(CLOCK_KEY, Date.now);

import { enterpriseGateway } from "@haloforge/plugin-sdk";
import { defineStore } from "pinia";
import { ref } from "vue";
import { assign, createMachine } from "xstate";
import * as z from "zod/mini";

const SettingsSchema = z.object({ prompt: z._default(z.string(), ""), model: z._default(z.string(), "gpt-image-1") });

/** One persisted store, read through one schema, as a real panel's settings are. */
export const useFloorStore = defineStore("floor", () => {
  const stored = globalThis.localStorage?.getItem("floor-settings");
  const parsed = SettingsSchema.safeParse(stored ? JSON.parse(stored) : {});
  const settings = ref(parsed.success ? parsed.data : { prompt: "", model: "gpt-image-1" });
  return { settings };
});

/** One machine that picks a gateway from the host bridge and stays idle. */
export const floorMachine = createMachine({
  id: "floor",
  context: { gateway: "" },
  initial: "choosing",
  states: {
    choosing: {
      always: { target: "ready", actions: assign({ gateway: () => (enterpriseGateway() ? "Managed gateway" : "No gateway") }) },
    },
    ready: { on: { GENERATE: "ready" } },
  },
});

// The framework floor for the cold-start bench: the same libraries the plugin bundles (Vue, Pinia,
// XState, zod/mini, the SDK), registered and mounted through the same React adapter, doing the
// least a usable panel does. What our bundle costs above this is our own code.
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { config as configureZod } from "zod/mini";
import { reactPanelFor } from "../../../../src/react/reactPanelFor.ts";
import { FLOOR_PLUGIN_ID } from "../floorId.ts";
import { mountFloorPanel } from "./mountFloorPanel.ts";

configureZod({ jitless: true });

registerPlugin(FLOOR_PLUGIN_ID, definePlugin({ panel: reactPanelFor(mountFloorPanel) }));

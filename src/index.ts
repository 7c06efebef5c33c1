// Bundle entry: running the IIFE registers the plugin with the host's plugin registry through the SDK.
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { config as configureZod } from "zod/mini";
import { id as PLUGIN_ID } from "../manifest.json";
import { VuePanelHost } from "./react/VuePanelHost.ts";
import "./styles/panel.css";

// zod compiles fast parsers with the Function constructor unless told not to; the host page may
// run under a strict Content-Security-Policy and we never evaluate generated code.
configureZod({ jitless: true });

registerPlugin(PLUGIN_ID, definePlugin({ panel: VuePanelHost }));

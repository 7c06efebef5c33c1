// Bundle entry: running the IIFE registers the plugin with the host (HOST-CONTRACT.md §2).
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { id as PLUGIN_ID } from "../manifest.json";
import { VuePanelHost } from "./react/VuePanelHost.ts";
import "./styles/panel.css";

registerPlugin(PLUGIN_ID, definePlugin({ panel: VuePanelHost }));

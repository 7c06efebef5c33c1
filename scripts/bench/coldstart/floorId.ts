export const FLOOR_PLUGIN_ID = "dev.haloforge.cold-start-floor";

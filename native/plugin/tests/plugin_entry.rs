//! The plugin as the host sees it: metadata, registered commands, `ping`.

mod support;

use serde_json::json;
use support::Host;

#[test]
fn metadata_names_the_plugin_and_the_crate_abi() {
    let host = Host::load();
    let meta = host.plugin.lock().unwrap().metadata();
    assert_eq!(meta.id, "dev.haloforge.managed-image-gateway");
    assert_eq!(meta.name, "Managed Image Gateway");
    assert_eq!(meta.version, "0.1.0");
    assert_eq!(meta.abi_version, hf_plugin_api::PLUGIN_ABI_VERSION);
}

#[test]
fn ping_returns_the_plugin_id_and_version() {
    let host = Host::load();
    let answer = host.invoke("ping", json!({})).expect("ping");
    assert_eq!(answer, json!({ "id": "dev.haloforge.managed-image-gateway", "version": "0.1.0" }));
}

#[test]
fn unload_after_load_succeeds() {
    let host = Host::load();
    host.plugin.lock().unwrap().on_unload().expect("on_unload");
}

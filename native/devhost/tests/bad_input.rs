//! Libraries the host must refuse, and calls it must answer with an error while it keeps serving.

mod support;

use serde_json::json;
use support::{library, Devhost};

const FIXTURE_ID: &str = "dev.haloforge.devhost-fixture";

#[test]
fn a_library_built_for_another_abi_version_is_refused_with_a_clear_message() {
    let home = tempfile::tempdir().unwrap();
    let refusal = Devhost::refuse(home.path(), &library("devhost_fixture_bad_abi"));
    assert_eq!(refusal.code, Some(3), "a clean refusal, not a crash: {}", refusal.stderr);
    assert!(refusal.stderr.contains("plugin ABI version 999"), "{}", refusal.stderr);
    assert!(refusal.stderr.contains("this host speaks version 1"), "{}", refusal.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn a_shared_library_that_is_not_a_plugin_is_refused_by_name_of_the_missing_entry_point() {
    // The C library this test runs on is a real shared library without the HaloForge entry points.
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let libc = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|path| path.contains("/libc.so") || path.contains("/libc-"))
        .expect("libc is mapped");
    let home = tempfile::tempdir().unwrap();
    let refusal = Devhost::refuse(home.path(), std::path::Path::new(libc));
    assert_eq!(refusal.code, Some(3), "{}", refusal.stderr);
    assert!(refusal.stderr.contains("is not a HaloForge plugin"), "{}", refusal.stderr);
    assert!(refusal.stderr.contains("_haloforge_abi_version"), "{}", refusal.stderr);
}

#[test]
fn a_file_that_is_not_a_library_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let fake = home.path().join("libfake.so");
    std::fs::write(&fake, "not an ELF file").unwrap();
    let refusal = Devhost::refuse(home.path(), &fake);
    assert_eq!(refusal.code, Some(3), "{}", refusal.stderr);
    assert!(refusal.stderr.contains("cannot open plugin library"), "{}", refusal.stderr);
}

#[test]
fn unknown_commands_malformed_json_and_plugin_errors_get_error_answers() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &library("devhost_fixture_panicking_plugin"), &[]);

    let (status, message) = host.invoke_plugin(FIXTURE_ID, "no_such_command", json!({})).unwrap_err();
    assert_eq!(status, 404);
    assert_eq!(message, "Plugin command not found: plugin_dev_haloforge_devhost_fixture_no_such_command");

    let (status, message) = host.invoke("no_such_host_command", json!({})).unwrap_err();
    assert_eq!((status, message.as_str()), (404, "command no_such_host_command not found"));

    let (status, message) = host.post_raw("/invoke/plugin_invoke", r#"{"args": {"wire_name": "#);
    assert_eq!(status, 400);
    assert!(message.starts_with("Malformed JSON in the invoke body"), "{message}");

    let (status, message) = host.invoke("plugin_invoke", json!({ "wire_name": "x" })).unwrap_err();
    assert_eq!(status, 400);
    assert!(message.contains("missing required key args"), "{message}");

    // A Rust `Err` rejects the invoke with the error's Display, as `Err(String)` does in Tauri.
    let (status, message) = host.invoke_plugin(FIXTURE_ID, "fail", json!({})).unwrap_err();
    assert_eq!((status, message.as_str()), (500, "Not found: no such thing"));
}

#[test]
fn a_panicking_command_gets_an_error_answer_and_the_devhost_keeps_serving() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &library("devhost_fixture_panicking_plugin"), &[]);
    assert_eq!(host.invoke_plugin(FIXTURE_ID, "echo", json!({ "n": 1 })), Ok(json!({ "n": 1 })));

    let (status, message) = host.invoke_plugin(FIXTURE_ID, "explode", json!({})).unwrap_err();
    assert_eq!(status, 500);
    assert!(message.contains("The plugin crashed"), "{message}");

    for n in 2..5 {
        assert_eq!(host.invoke_plugin(FIXTURE_ID, "echo", json!({ "n": n })), Ok(json!({ "n": n })), "still serving after the panic");
    }
    assert!(host.log_lines().iter().any(|l| l.contains("plugin worker exited") && l.contains("explode")));
}

#[test]
fn a_panic_fails_the_calls_in_flight_with_it_and_concurrent_calls_afterwards_share_one_new_worker() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &library("devhost_fixture_panicking_plugin"), &[]);
    std::thread::scope(|scope| {
        let slow = scope.spawn(|| host.invoke_plugin(FIXTURE_ID, "sleep", json!({ "ms": 3000 })));
        std::thread::sleep(std::time::Duration::from_millis(300));
        let (status, _) = host.invoke_plugin(FIXTURE_ID, "explode", json!({})).unwrap_err();
        assert_eq!(status, 500);
        let (status, message) = slow.join().unwrap().unwrap_err();
        assert_eq!(status, 500, "the call running in the crashed worker fails too");
        assert!(message.contains("The plugin crashed"), "{message}");
    });
    let host = &host;
    std::thread::scope(|scope| {
        let calls: Vec<_> = (0..8).map(|n| scope.spawn(move || (n, host.invoke_plugin(FIXTURE_ID, "echo", json!({ "n": n }))))).collect();
        for call in calls {
            let (n, answer) = call.join().unwrap();
            assert_eq!(answer, Ok(json!({ "n": n })));
        }
    });
    let restarts = host.log_lines().iter().filter(|l| l.ends_with("devhost: plugin worker restarted")).count();
    assert_eq!(restarts, 1, "eight concurrent calls after a crash start one worker");
}

//! Cancellation and parallel requests: the host may call commands from several threads.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider};
use serde_json::{json, Value};
use support::{assert_logged_once, generate_args, Host};

fn invoke_on_thread(host: &Arc<Host>, command: &'static str, args: Value) -> std::thread::JoinHandle<(Value, Duration)> {
    let host = host.clone();
    std::thread::spawn(move || {
        let started = Instant::now();
        let answer = host.invoke(command, args).expect("well-formed call");
        (answer, started.elapsed())
    })
}

fn wait_until_in_flight(provider: &FakeProvider, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while provider.recorded().len() < count {
        assert!(Instant::now() < deadline, "only {} of {count} requests reached the server", provider.recorded().len());
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn cancel_ends_a_request_within_a_second_while_the_body_drips() {
    let provider = FakeProvider::start(Config::default());
    let host = Arc::new(Host::load());
    let call = invoke_on_thread(&host, "generate_images", generate_args("drip-1", &provider.base_url_with("fault=drip:100"), json!({ "model": "m", "prompt": "p" })));
    wait_until_in_flight(&provider, 1);
    std::thread::sleep(Duration::from_millis(400)); // the body is dripping now
    let cancelled_at = Instant::now();
    assert_eq!(host.invoke("cancel_request", json!({ "requestId": "drip-1" })).unwrap(), json!({ "ok": true, "cancelled": true }));
    let (answer, _) = call.join().unwrap();
    let latency = cancelled_at.elapsed();
    assert!(latency < Duration::from_secs(1), "cancel took {latency:?}");
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["error"]["code"], "cancelled");
    assert_logged_once(&host.ctx, "drip-1", "cancelled");
}

#[test]
fn eight_requests_in_flight_complete_and_cancel_independently() {
    let provider = FakeProvider::start(Config { latency: Duration::from_millis(1500), ..Config::default() });
    let host = Arc::new(Host::load());
    let started = Instant::now();
    let calls: Vec<_> = (0..8)
        .map(|i| invoke_on_thread(&host, "generate_images", generate_args(&format!("par-{i}"), &provider.base_url(), json!({ "model": "m", "prompt": format!("prompt {i}") }))))
        .collect();
    wait_until_in_flight(&provider, 8);
    for i in (0..8).step_by(2) {
        assert_eq!(host.invoke("cancel_request", json!({ "requestId": format!("par-{i}") })).unwrap()["cancelled"], true);
    }
    for (i, call) in calls.into_iter().enumerate() {
        let (answer, took) = call.join().unwrap();
        if i % 2 == 0 {
            assert_eq!(answer["error"]["code"], "cancelled", "par-{i}: {answer}");
            assert!(took < Duration::from_millis(1500), "par-{i} was not cut short: {took:?}");
            assert_logged_once(&host.ctx, &format!("par-{i}"), "cancelled");
        } else {
            assert_eq!(answer["ok"], true, "par-{i}: {answer}");
            assert_logged_once(&host.ctx, &format!("par-{i}"), "succeeded");
        }
    }
    // Eight 1.5 s requests in parallel, not one after another.
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn cancelling_an_unknown_request_reports_false_and_a_reused_id_is_refused_while_running() {
    let provider = FakeProvider::start(Config { latency: Duration::from_millis(600), ..Config::default() });
    let host = Arc::new(Host::load());
    assert_eq!(host.invoke("cancel_request", json!({ "requestId": "never-started" })).unwrap()["cancelled"], false);
    let first = invoke_on_thread(&host, "generate_images", generate_args("same", &provider.base_url(), json!({ "model": "m", "prompt": "p" })));
    wait_until_in_flight(&provider, 1);
    let second = host.invoke("generate_images", generate_args("same", &provider.base_url(), json!({ "model": "m", "prompt": "p" }))).unwrap();
    assert_eq!(second["error"]["code"], "invalid_request");
    assert_eq!(first.join().unwrap().0["ok"], true);
}

#[test]
fn a_cancel_that_overtakes_its_request_still_cancels_it() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    assert_eq!(host.invoke("cancel_request", json!({ "requestId": "early" })).unwrap()["cancelled"], false);
    let answer = host.invoke("generate_images", generate_args("early", &provider.base_url(), json!({ "model": "m", "prompt": "p" }))).unwrap();
    assert_eq!(answer["error"]["code"], "cancelled");
    assert!(provider.recorded().is_empty());
}

#[test]
fn unloading_cancels_what_is_in_flight() {
    let provider = FakeProvider::start(Config::default());
    let host = Arc::new(Host::load());
    let call = invoke_on_thread(&host, "generate_images", generate_args("unload", &provider.base_url_with("fault=drip:100"), json!({ "model": "m", "prompt": "p" })));
    wait_until_in_flight(&provider, 1);
    host.plugin.lock().unwrap().on_unload().unwrap();
    let (answer, took) = call.join().unwrap();
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    let after = host.invoke("generate_images", generate_args("after", &provider.base_url(), json!({ "model": "m", "prompt": "p" }))).unwrap();
    assert_eq!(after["ok"], false, "no requests after unload: {after}");
}

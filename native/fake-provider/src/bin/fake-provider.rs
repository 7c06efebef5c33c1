//! `fake-provider [--port N] [--api-key KEY] [--latency-ms N] [--fault SPEC] [--image-bytes N]`
//! Serves the fake OpenAI-compatible image API on 127.0.0.1 until killed.

use std::time::Duration;

use fake_provider::{Config, Fault};

fn main() {
    let mut config = Config::default();
    let mut port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--port" => port = value().parse().unwrap_or_else(|_| usage("bad --port")),
            "--api-key" => config.api_key = Some(value()),
            "--latency-ms" => config.latency = Duration::from_millis(value().parse().unwrap_or_else(|_| usage("bad --latency-ms"))),
            "--fault" => config.fault = Some(Fault::parse(&value()).unwrap_or_else(|| usage("bad --fault"))),
            "--image-bytes" => config.image_bytes = Some(value().parse().unwrap_or_else(|_| usage("bad --image-bytes"))),
            _ => usage(&format!("unknown flag {flag}")),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        println!("fake provider listening on http://{addr}/v1");
        fake_provider::serve(listener, config).await;
    });
}

fn usage(problem: &str) -> ! {
    eprintln!("fake-provider: {problem}\nusage: fake-provider [--port N] [--api-key KEY] [--latency-ms N] [--fault SPEC] [--image-bytes N]");
    std::process::exit(2)
}

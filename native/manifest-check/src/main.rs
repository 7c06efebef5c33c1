//! `manifest-check FILE…`: prints every problem the crate's types ([crate]) and this project's
//! rules ([own]) find in each manifest as `FILE: [judge] path: message`; exits 1 if there is any.
use std::process::ExitCode;

use manifest_check::{crate_problems, own_problems};

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: manifest-check FILE…");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for file in &files {
        let problems = match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(json) => {
                let judged = crate_problems(&json)
                    .into_iter()
                    .map(|p| format!("[crate] {p}"));
                judged
                    .chain(
                        own_problems(&json)
                            .into_iter()
                            .map(|p| format!("[own] {p}")),
                    )
                    .collect()
            }
            Err(error) => vec![format!(
                "[crate] manifest: cannot read a JSON manifest ({error})"
            )],
        };
        for problem in &problems {
            eprintln!("{file}: {problem}");
        }
        failed |= !problems.is_empty();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

//! The manifest corpus (`tests/fixtures/manifests/`) against the verdicts recorded in its
//! `verdicts.json`: this test judges the `crate` and `own` columns (the official packer's column is
//! judged by `tests/manifest/manifestCorpus.test.ts`). A changed verdict, a file without a record or
//! a record without a file fails.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use manifest_check::{crate_problems, own_problems, Problem};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/manifests")
}

fn corpus_files() -> Vec<String> {
    let mut files = Vec::new();
    for kind in ["valid", "invalid"] {
        for entry in fs::read_dir(corpus_dir().join(kind)).expect("corpus directory") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name.ends_with(".json") {
                files.push(format!("{kind}/{name}"));
            }
        }
    }
    files.sort();
    files
}

fn recorded() -> BTreeMap<String, Value> {
    let text = fs::read_to_string(corpus_dir().join("verdicts.json")).expect("verdicts.json");
    let json: Value = serde_json::from_str(&text).expect("verdicts.json is JSON");
    json["files"]
        .as_object()
        .expect("files")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn verdict(problems: &[Problem]) -> &'static str {
    if problems.is_empty() {
        "accepts"
    } else {
        "rejects"
    }
}

fn judge(file: &str, judge: fn(&Value) -> Vec<Problem>) -> (&'static str, Vec<Problem>) {
    let text = fs::read_to_string(corpus_dir().join(file)).expect("fixture");
    let json: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let problems = judge(&json);
    (verdict(&problems), problems)
}

#[test]
fn every_corpus_file_has_a_record_and_every_record_a_file() {
    let files = corpus_files();
    let records: Vec<String> = recorded().into_keys().collect();
    assert_eq!(files, records);
    assert!(
        files.len() >= 29,
        "the corpus shrank to {} files",
        files.len()
    );
}

/// Every file whose verdict under `judge` differs from the recorded `column`.
fn mismatches(column: &str, judge_fn: fn(&Value) -> Vec<Problem>) -> Vec<String> {
    recorded()
        .iter()
        .filter_map(|(file, record)| {
            let (actual, problems) = judge(file, judge_fn);
            (record[column] != actual).then(|| {
                format!(
                    "{file}: recorded {}, judged {actual} ({problems:?})",
                    record[column]
                )
            })
        })
        .collect()
}

#[test]
fn the_crate_judges_every_file_as_recorded() {
    let mismatches = mismatches("crate", crate_problems);
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn the_own_rules_judge_every_file_as_recorded() {
    let mismatches = mismatches("own", own_problems);
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn every_file_under_invalid_is_rejected_by_some_judge_and_valid_by_none() {
    for (file, record) in recorded() {
        let rejected = ["official", "crate", "own"].iter().any(|j| {
            record[*j]
                .as_str()
                .is_some_and(|v| v.starts_with("rejects"))
        });
        assert_eq!(rejected, file.starts_with("invalid/"), "{file}: {record}");
    }
}

#[test]
fn the_repository_manifest_passes_the_crate_and_own_rules() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../manifest.json"))
            .expect("manifest.json");
    let json: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(crate_problems(&json), []);
    assert_eq!(own_problems(&json), []);
}

#[test]
fn the_repository_manifest_matches_the_native_plugin_identity() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../manifest.json"))
            .expect("manifest.json");
    let manifest: hf_plugin_api::PluginManifest = serde_json::from_str(&text).expect("crate type");
    assert_eq!(manifest.id, managed_image_gateway::PLUGIN_ID);
    assert_eq!(manifest.version, managed_image_gateway::PLUGIN_VERSION);
}

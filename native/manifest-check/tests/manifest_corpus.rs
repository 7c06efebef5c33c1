//! The shared manifest corpus (`tests/fixtures/manifests/{valid,invalid}`) and the repo's own
//! `manifest.json`, judged with the crate's types and the packer's rules. The TypeScript checker
//! judges the same files; both must agree.

use std::fs;
use std::path::{Path, PathBuf};

use manifest_check::check_manifest;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures/manifests").join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read corpus directory {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn problems_of(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(json) => check_manifest(&json).iter().map(ToString::to_string).collect(),
        Err(e) => vec![format!("manifest: not valid JSON ({e})")],
    }
}

#[test]
fn every_valid_corpus_manifest_passes() {
    let files = corpus("valid");
    assert!(files.len() >= 4, "expected at least 4 valid manifests, found {}", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let problems = problems_of(file);
            (!problems.is_empty()).then(|| format!("{}: {problems:#?}", file.display()))
        })
        .collect();
    assert!(failures.is_empty(), "valid manifests were rejected:\n{}", failures.join("\n"));
}

#[test]
fn every_invalid_corpus_manifest_fails_with_path_and_message() {
    let files = corpus("invalid");
    assert!(files.len() >= 15, "expected at least 15 invalid manifests, found {}", files.len());
    for file in &files {
        let problems = problems_of(file);
        assert!(!problems.is_empty(), "{} was accepted but is in invalid/", file.display());
        for problem in &problems {
            let (path, message) = problem.split_once(": ").unwrap_or(("", ""));
            assert!(!path.is_empty() && !message.is_empty(), "{}: malformed problem {problem:?}", file.display());
        }
        println!("{}: {problems:?}", file.file_name().unwrap().to_string_lossy());
    }
}

#[test]
fn the_repository_manifest_passes() {
    let problems = problems_of(&repo_root().join("manifest.json"));
    assert!(problems.is_empty(), "manifest.json: {problems:#?}");
}

#[test]
fn the_repository_manifest_matches_the_native_plugin_identity() {
    let text = fs::read_to_string(repo_root().join("manifest.json")).expect("manifest.json");
    let manifest: hf_plugin_api::PluginManifest = serde_json::from_str(&text).expect("crate type");
    assert_eq!(manifest.id, "dev.haloforge.managed-image-gateway");
    assert_eq!(manifest.version, managed_image_gateway::PLUGIN_VERSION);
    assert_eq!(manifest.id, managed_image_gateway::PLUGIN_ID);
}

//! Black-box tests of the `vocwb` binary: the command forms and JSON shapes that scripts and
//! outside checks rely on.

mod crash;
mod search_review;
mod train;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir { tmp: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn vocwb(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vocwb")).args(args.iter().map(|a| a.as_ref())).output().unwrap()
}

fn ok_json(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Value {
    let out = vocwb(args);
    assert!(out.status.success(), "vocwb failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not one JSON object ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn codeframes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../codeframes/auto")
}

#[test]
fn init_import_stats_contract() {
    let d = Dir::new();
    let project = d.path("p");
    assert!(vocwb(&[&"init", &project]).status.success());
    let csv = d.write("s.csv", "id,text,nps\n1,车机卡顿,3\n2,\"空间大, 很满意\",10\n".as_bytes());
    let report = ok_json(&[&"import", &project, &csv, &"--channel", &"survey", &"--text-col", &"text", &"--id-col", &"id", &"--json"]);
    assert_eq!(report["documents_added"], 2);
    let stats = ok_json(&[&"stats", &project, &"--json"]);
    assert!(stats["documents"].is_u64() && stats["verbatims"].is_u64());
    assert_eq!((stats["documents"].as_u64(), stats["verbatims"].as_u64()), (Some(2), Some(2)));
    assert_eq!(stats["by_channel"]["survey"]["verbatims"], 2);
}

#[test]
fn errors_go_to_stderr_with_file_row_and_field() {
    let d = Dir::new();
    let project = d.path("p");
    vocwb(&[&"init", &project]);
    let bad = d.write("bad.csv", b"id,text,nps\n1,a,9\n2,b,x\n");
    let out = vocwb(&[&"import", &project, &bad, &"--channel", &"survey", &"--json"]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["row"], 3);
    assert_eq!(err["error"]["field"], "nps");
    assert!(err["error"]["file"].as_str().unwrap().ends_with("bad.csv"));
    let plain = vocwb(&[&"import", &project, &bad, &"--channel", &"survey"]);
    let text = String::from_utf8_lossy(&plain.stderr);
    assert!(text.starts_with("error: ") && text.contains("row 3, field 'nps'"), "{text}");
    assert!(plain.stdout.is_empty());
    assert_eq!(ok_json(&[&"stats", &project, &"--json"])["documents"], 0);
}

#[test]
fn frame_export_import_validate_publish_contract() {
    let d = Dir::new();
    let project = d.path("p");
    let init = ok_json(&[&"init", &project, &"--frame", &codeframes(), &"--json"]);
    assert_eq!(init["frame_version"], 1);
    assert!(vocwb(&[&"frame", &"validate", &project]).status.success());
    for format in ["xlsx", "csv", "qdc"] {
        let out = d.path(&format!("frame.{format}"));
        assert!(vocwb(&[&"frame", &"export", &project, &"--format", &format, &"-o", &out]).status.success());
        let other = d.path(&format!("p_{format}"));
        vocwb(&[&"init", &other]);
        let imported = ok_json(&[&"frame", &"import", &other, &out, &"--json"]);
        assert_eq!(imported["codes"], 287, "{format}");
        assert!(vocwb(&[&"frame", &"validate", &other]).status.success());
        let published = ok_json(&[&"frame", &"publish", &other, &"--json"]);
        assert_eq!(published["version"], 1);
    }
    // Nothing changed since v1: publishing again is refused with a non-zero exit.
    assert!(!vocwb(&[&"frame", &"publish", &project]).status.success());
}

#[test]
fn shared_labels_import_against_the_shipped_frame() {
    let d = Dir::new();
    let project = d.path("p");
    vocwb(&[&"init", &project, &"--frame", &codeframes()]);
    let labels = d.write("l.csv", "id,text,labels\n1,油耗太高了,油耗:-1\n2,动力不错 价格也还行,动力:1|价格:0\n".as_bytes());
    let report = ok_json(&[&"labels", &"import", &project, &labels, &"--channel", &"public", &"--coder", &"ann", &"--json"]);
    assert_eq!((report["labels_added"].as_u64(), report["verbatims_created"].as_u64()), (Some(3), Some(2)));
    let unknown = d.write("u.csv", "id,text,labels\n3,x,火箭:1\n".as_bytes());
    let out = vocwb(&[&"labels", &"import", &project, &unknown, &"--channel", &"public"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("row 2, field 'labels': unknown code '火箭'"));
}

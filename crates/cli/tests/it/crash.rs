//! Reliability of label writes: a labelling process killed with SIGKILL mid-burst loses no
//! acknowledged label, and two processes labelling at once both succeed.

use super::{codeframes, vocwb, Dir};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn project_with(d: &Dir, verbatims: usize) -> std::path::PathBuf {
    let project = d.path("p");
    assert!(vocwb(&[&"init", &project, &"--frame", &codeframes()]).status.success());
    let mut csv = String::from("id,text\n");
    for i in 0..verbatims {
        csv.push_str(&format!("{i},第{i}条：油耗有点高，动力还行\n"));
    }
    let file = d.write("v.csv", csv.as_bytes());
    assert!(vocwb(&[&"import", &project, &file, &"--channel", &"survey"]).status.success());
    project
}

fn spawn_labeller(project: &std::path::Path, coder: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_vocwb"))
        .args(["label", project.to_str().unwrap(), "--coder", coder, "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn count(project: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(project.join("project.sqlite")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn kill_9_mid_burst_loses_no_acknowledged_label() {
    let d = Dir::new();
    let project = project_with(&d, 400);
    let mut child = spawn_labeller(&project, "ann");
    let mut stdin = child.stdin.take().unwrap();
    // Feed the whole burst at once so writes are in flight when the kill lands.
    let feeder = std::thread::spawn(move || {
        for v in 1..=400 {
            let polarity = ["pain", "neutral", "delight"][v % 3];
            if writeln!(stdin, "{v} 油耗 {polarity}").is_err() {
                break;
            }
        }
    });
    let mut acked = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        acked.push(line.strip_prefix("ok ").unwrap().parse::<i64>().unwrap());
        if acked.len() == 150 {
            child.kill().unwrap(); // SIGKILL on Unix.
            break;
        }
    }
    child.wait().unwrap();
    let _ = feeder.join();
    assert_eq!(acked.len(), 150);
    let conn = rusqlite::Connection::open(project.join("project.sqlite")).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    for id in &acked {
        let n: i64 = conn.query_row("SELECT COUNT(*) FROM label_event WHERE id = ?1", [id], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "acknowledged label event {id} is missing after the crash");
    }
    // The project still opens and works.
    let stats = super::ok_json(&[&"stats", &project, &"--json"]);
    assert!(stats["labelled_verbatims"].as_u64().unwrap() >= 150);
}

#[test]
fn two_processes_labelling_at_once_both_succeed() {
    let d = Dir::new();
    let project = project_with(&d, 200);
    let mut children: Vec<_> = ["ann", "bob"].iter().map(|c| spawn_labeller(&project, c)).collect();
    for child in &mut children {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            for v in 1..=200 {
                writeln!(stdin, "{v} 动力 neutral").unwrap();
            }
        });
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 200);
    }
    assert_eq!(count(&project, "SELECT COUNT(*) FROM label_event"), 400);
    let agreement = super::ok_json(&[&"agreement", &project, &"--json"]);
    assert_eq!(agreement["percent_agreement"], 1.0);
    assert!(agreement["krippendorff_alpha"].is_number());
    assert!(agreement["per_code"].is_object());
}

//! Proof that a conformance binary runs every test the suite defines: the tests are read from
//! the suite's sources and looked for among the binary's own tests (`--list`), so a test left
//! out of its module's `__suite_*!` list, or a module left out of `conformance_suite!`, fails.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The suite's tests, from its sources: every `pub fn name<B: Backend>()` in `src/suite/`.
fn defined_tests() -> BTreeSet<String> {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("suite");
    let files = std::fs::read_dir(&suite)
        .unwrap_or_else(|err| panic!("cannot list the suite in {}: {err}", suite.display()));
    let mut tests = BTreeSet::new();
    for file in files {
        let path = file.expect("a directory entry").path();
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let names = source.lines().filter_map(|line| {
            let (name, rest) = line.strip_prefix("pub fn ")?.split_once('<')?;
            rest.starts_with("B: Backend>()").then(|| name.to_owned())
        });
        tests.extend(names);
    }
    tests
}

/// The tests of the running test binary, as `--list` prints them (`name: test`).
fn instantiated_tests() -> BTreeSet<String> {
    let binary = std::env::current_exe().expect("the test binary's path");
    let output = Command::new(&binary)
        .arg("--list")
        .output()
        .unwrap_or_else(|err| panic!("cannot run {} --list: {err}", binary.display()));
    assert!(
        output.status.success(),
        "{} --list failed",
        binary.display()
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

/// Panics naming every test the suite defines that this binary does not run.
#[doc(hidden)]
pub fn assert_every_test_instantiated() {
    let defined = defined_tests();
    assert!(!defined.is_empty(), "no tests found in the suite's sources");
    let instantiated = instantiated_tests();
    let missing: Vec<&String> = defined.difference(&instantiated).collect();
    assert!(
        missing.is_empty(),
        "defined in conformance-tests/src/suite but not run by this binary: {missing:?} \
         (list each in its module's `__suite_*!` macro, and that macro in `conformance_suite!`)"
    );
}

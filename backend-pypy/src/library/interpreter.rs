//! Asking an installed `pypy3` where its shared library and standard library are: it runs a
//! short script and answers `key=value` lines, which name the exact installation it belongs to.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The script run by `pypy3 -c`. `loaded` is the libpypy mapped into the running interpreter
/// (exact when `/proc` exists); the sysconfig values are a fallback for other systems.
const SCRIPT: &str = r#"
import os, sys, sysconfig
loaded = ""
try:
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if os.path.basename(path).startswith("libpypy"):
                loaded = path
                break
except OSError:
    pass
var = lambda name: str(sysconfig.get_config_var(name) or "")
print("implementation=" + sys.implementation.name)
print("loaded=" + loaded)
print("libdir=" + var("LIBDIR"))
print("ldlibrary=" + var("LDLIBRARY"))
print("multiarch=" + var("MULTIARCH"))
print("prefix=" + sys.prefix)
print("executable=" + os.path.realpath(sys.executable))
print("stdlib=" + sysconfig.get_paths()["stdlib"])
"#;

/// What a `pypy3` program said about its installation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Answer {
    /// Candidate library paths, most trustworthy first, without duplicates.
    pub(crate) libraries: Vec<PathBuf>,
    /// The standard library directory (`sysconfig`'s `stdlib`), if reported.
    pub(crate) stdlib: Option<PathBuf>,
}

/// Runs `program` and parses its answer; the error says why it could not be asked.
pub(crate) fn ask(program: &Path) -> Result<Answer, String> {
    let output = Command::new(program)
        .arg("-c")
        .arg(SCRIPT)
        .output()
        .map_err(|error| {
            if error.kind() == std::io::ErrorKind::NotFound {
                "not found (not installed, or not on PATH)".to_owned()
            } else {
                format!("could not be run: {error}")
            }
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("no message");
        return Err(format!("failed ({}): {last}", output.status));
    }
    parse(&String::from_utf8_lossy(&output.stdout))
}

/// Turns the script's `key=value` lines into candidate paths.
fn parse(stdout: &str) -> Result<Answer, String> {
    let value = |key: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
            .filter(|value| !value.is_empty())
    };
    match value("implementation") {
        Some("pypy") => {}
        Some(other) => {
            return Err(format!(
                "is not PyPy (sys.implementation.name is {other:?})"
            ))
        }
        None => return Err("gave no answer to the location query".to_owned()),
    }
    let mut libraries = Vec::new();
    let mut push = |path: PathBuf| {
        if !libraries.contains(&path) {
            libraries.push(path);
        }
    };
    if let Some(loaded) = value("loaded") {
        push(PathBuf::from(loaded));
    }
    if let Some(name) = value("ldlibrary") {
        if let Some(libdir) = value("libdir") {
            push(Path::new(libdir).join(name));
        }
        if let (Some(prefix), Some(multiarch)) = (value("prefix"), value("multiarch")) {
            push(Path::new(prefix).join("lib").join(multiarch).join(name));
        }
        if let Some(bin) = value("executable").and_then(|exe| Path::new(exe).parent()) {
            push(bin.join(name));
        }
    }
    Ok(Answer {
        libraries,
        stdlib: value("stdlib").map(PathBuf::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_debian_answer() {
        let answer = parse(
            "implementation=pypy\nloaded=/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so\n\
             libdir=/usr/bin\nldlibrary=libpypy3.9-c.so\nmultiarch=x86_64-linux-gnu\n\
             prefix=/usr\nexecutable=/usr/bin/pypy3.9\nstdlib=/usr/lib/pypy3.9\n",
        )
        .unwrap();
        assert_eq!(
            answer.libraries,
            [
                "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so",
                "/usr/bin/libpypy3.9-c.so"
            ]
            .map(PathBuf::from)
        );
        assert_eq!(answer.stdlib, Some(PathBuf::from("/usr/lib/pypy3.9")));
    }

    #[test]
    fn refuses_another_implementation() {
        let error = parse("implementation=cpython\n").unwrap_err();
        assert!(error.contains("not PyPy"), "{error}");
    }
}

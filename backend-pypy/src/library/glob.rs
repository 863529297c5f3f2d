//! A minimal path glob for the system search: `*` inside one path component matches any run of
//! characters within that name. Matches come newest version first (`pypy3.10` before `pypy3.9`).

use std::cmp::Ordering;
use std::fs;
use std::path::{Path, PathBuf};

/// Every existing path that matches `pattern`, ordered by descending version-aware name.
pub(crate) fn expand(pattern: &str) -> Vec<PathBuf> {
    let mut found = vec![PathBuf::from(if pattern.starts_with('/') {
        "/"
    } else {
        "."
    })];
    for component in pattern.split('/').filter(|c| !c.is_empty()) {
        let mut next = Vec::new();
        for base in &found {
            if component.contains('*') {
                next.extend(matching_entries(base, component));
            } else {
                let path = base.join(component);
                if path.exists() {
                    next.push(path);
                }
            }
        }
        found = next;
    }
    found.sort_by(|a, b| version_order(b, a));
    found
}

/// The entries of `dir` whose name matches `component` (one or more `*`).
fn matching_entries(dir: &Path, component: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| matches(component, name))
        })
        .map(|entry| entry.path())
        .collect()
}

/// Whether `name` matches `pattern`, where `*` matches any (possibly empty) run of characters.
fn matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Compares paths so that runs of digits compare as numbers (`3.10` > `3.9`).
fn version_order(a: &Path, b: &Path) -> Ordering {
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    let (mut a, mut b) = (a.as_ref(), b.as_ref());
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (na, ra) = split_number(a);
                let (nb, rb) = split_number(b);
                match na.cmp(&nb) {
                    Ordering::Equal => (a, b) = (ra, rb),
                    unequal => return unequal,
                }
            }
            (Some(x), Some(y)) => match x.cmp(&y) {
                Ordering::Equal => (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]),
                unequal => return unequal,
            },
        }
    }
}

/// The leading run of digits as a number, and the rest of the string.
fn split_number(s: &str) -> (u64, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (s[..end].parse().unwrap_or(u64::MAX), &s[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_within_one_name() {
        assert!(matches("libpypy3*-c.so", "libpypy3.9-c.so"));
        assert!(matches("libpypy3*-c.so", "libpypy3-c.so"));
        assert!(!matches("libpypy3*-c.so", "libpypy3.9-c.so.debug"));
        assert!(!matches("pypy*", "python3"));
        assert!(matches("pypy*-v*", "pypy3.10-v7.3.17"));
        assert!(!matches("ab*ba", "aba"));
    }

    #[test]
    fn newer_versions_sort_first() {
        let mut paths = ["/opt/pypy3.9/x", "/opt/pypy3.10/x", "/opt/pypy3.8/x"].map(PathBuf::from);
        paths.sort_by(|a, b| version_order(b, a));
        assert_eq!(paths[0], PathBuf::from("/opt/pypy3.10/x"));
        assert_eq!(paths[2], PathBuf::from("/opt/pypy3.8/x"));
    }

    #[test]
    fn expands_against_the_file_system() {
        let dir = std::env::temp_dir().join(format!("anypy-glob-{}", std::process::id()));
        for version in ["3.9", "3.10"] {
            let bin = dir.join(format!("pypy{version}")).join("bin");
            fs::create_dir_all(&bin).unwrap();
            fs::write(bin.join(format!("libpypy{version}-c.so")), b"").unwrap();
        }
        let found = expand(&format!("{}/pypy*/bin/libpypy3*-c.so", dir.display()));
        fs::remove_dir_all(&dir).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["libpypy3.10-c.so", "libpypy3.9-c.so"]);
    }
}

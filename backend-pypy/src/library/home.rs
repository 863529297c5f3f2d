//! The `home` directory handed to `pypy_setup_home`: PyPy looks for its standard library there
//! and in the directories above it, so the standard library directory itself is the best answer.

use std::fs;
use std::path::{Path, PathBuf};

use super::HomeError;

/// Where a [`Home`] came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HomeOrigin {
    /// Given explicitly (`ANYPY_PYPY_HOME` or its stand-in).
    Explicit,
    /// The standard library directory reported by the `pypy3` that named the library.
    Interpreter,
    /// A standard library directory found beside the library (e.g. `bin/../lib/pypy3.9`).
    BesideLibrary,
    /// No standard library was found; the library's own directory, from which PyPy searches
    /// upward itself.
    LibraryDirectory,
}

/// The directory passed to `pypy_setup_home`, and how it was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    /// The directory.
    pub path: PathBuf,
    /// How it was chosen.
    pub origin: HomeOrigin,
}

/// Chooses the home: the explicit one, else the interpreter's report, else a standard library
/// found beside `library`, else `library`'s directory.
pub(crate) fn resolve(
    explicit: Option<&Path>,
    reported: Option<&Path>,
    library: &Path,
) -> Result<Home, HomeError> {
    if let Some(path) = explicit {
        return if path.is_dir() {
            Ok(Home {
                path: path.to_owned(),
                origin: HomeOrigin::Explicit,
            })
        } else {
            Err(HomeError {
                path: path.to_owned(),
            })
        };
    }
    if let Some(path) = reported.filter(|path| is_stdlib(path)) {
        return Ok(Home {
            path: path.to_owned(),
            origin: HomeOrigin::Interpreter,
        });
    }
    let library = fs::canonicalize(library).unwrap_or_else(|_| library.to_owned());
    let dir = library.parent().unwrap_or(Path::new("/")).to_owned();
    let beside = beside_library(&library, &dir)
        .into_iter()
        .find(|path| is_stdlib(path));
    Ok(match beside {
        Some(path) => Home {
            path,
            origin: HomeOrigin::BesideLibrary,
        },
        None => Home {
            path: dir,
            origin: HomeOrigin::LibraryDirectory,
        },
    })
}

/// Where installations put the standard library relative to `libpypy<version>-c.so` in `dir`:
/// upstream builds `bin/../lib/pypy3.9` (older ones `bin/../lib-python/3`), Debian
/// `lib/<multiarch>/../pypy3.9`.
fn beside_library(library: &Path, dir: &Path) -> Vec<PathBuf> {
    let name = library
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let version = name
        .strip_prefix("libpypy")
        .and_then(|rest| rest.split_once("-c"))
        .map(|v| v.0);
    let Some(version) = version else {
        return Vec::new();
    };
    let stdlib = format!("pypy{version}");
    let parent = dir.parent().unwrap_or(dir);
    vec![
        parent.join("lib").join(&stdlib),
        parent.join(&stdlib),
        parent.join("lib-python").join("3"),
        dir.join("lib").join(&stdlib),
    ]
}

/// Whether `path` looks like a standard library directory.
fn is_stdlib(path: &Path) -> bool {
    path.join("os.py").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_home_must_exist() {
        let error = resolve(
            Some(Path::new("/no/such/home")),
            None,
            Path::new("/x/libpypy3.9-c.so"),
        )
        .unwrap_err();
        assert!(error.to_string().contains("/no/such/home"), "{error}");
    }

    #[test]
    fn finds_an_upstream_layout_beside_the_library() {
        let root = std::env::temp_dir().join(format!("anypy-home-{}", std::process::id()));
        let stdlib = root.join("lib").join("pypy3.10");
        fs::create_dir_all(&stdlib).unwrap();
        fs::create_dir_all(root.join("bin")).unwrap();
        fs::write(stdlib.join("os.py"), b"").unwrap();
        let home = resolve(None, None, &root.join("bin").join("libpypy3.10-c.so"));
        fs::remove_dir_all(&root).unwrap();
        let home = home.unwrap();
        assert_eq!(home.origin, HomeOrigin::BesideLibrary);
        assert!(
            home.path.ends_with("lib/pypy3.10"),
            "{}",
            home.path.display()
        );
    }

    #[test]
    fn falls_back_to_the_library_directory() {
        let home = resolve(None, None, Path::new("/nowhere/bin/libpypy3.9-c.so")).unwrap();
        assert_eq!(
            home,
            Home {
                path: "/nowhere/bin".into(),
                origin: HomeOrigin::LibraryDirectory
            }
        );
    }
}

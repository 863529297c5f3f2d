//! The search for libpypy: an explicit path, else what `pypy3` reports, else the usual system
//! locations. Inputs are a plain value, so tests pass their own instead of mutating the
//! environment.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{glob, home, interpreter, open_file, Attempt, FindError, Installation, LibraryError};
use super::{LoadedLibrary, Origin};

/// Where to look for libpypy and its standard library.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    /// An explicit library path (`ANYPY_PYPY_LIB`). When set it is the only place tried, so a
    /// misconfiguration is reported instead of silently replaced by another installation.
    pub library: Option<PathBuf>,
    /// An explicit home for `pypy_setup_home` (`ANYPY_PYPY_HOME`).
    pub home: Option<PathBuf>,
    /// The `pypy3` program to ask for its paths (searched on `PATH` when it has no `/`), or
    /// `None` to skip asking.
    pub interpreter: Option<PathBuf>,
    /// Glob patterns of system locations, tried last, in order (`*` matches within one name).
    pub system_patterns: Vec<String>,
}

impl Search {
    /// The search configured by the environment: `ANYPY_PYPY_LIB`, `ANYPY_PYPY_HOME`, `pypy3`
    /// on `PATH`, then [`Search::default_system_patterns`]. Empty variables count as unset.
    pub fn from_env() -> Search {
        let var = |name| std::env::var_os(name).filter(|value: &OsString| !value.is_empty());
        Search {
            library: var("ANYPY_PYPY_LIB").map(PathBuf::from),
            home: var("ANYPY_PYPY_HOME").map(PathBuf::from),
            interpreter: Some(PathBuf::from("pypy3")),
            system_patterns: Search::default_system_patterns(),
        }
    }

    /// Where distributions and upstream tarballs put libpypy: the multiarch and plain library
    /// directories, `/usr/lib/pypy3*/bin`, `/opt/pypy*/bin`, `/usr/local/pypy*/bin` and pyenv.
    pub fn default_system_patterns() -> Vec<String> {
        const NAME: &str = "libpypy3*-c.so";
        let multiarch = format!("{}-linux-gnu", std::env::consts::ARCH);
        let mut patterns = vec![
            format!("/usr/lib/{multiarch}/{NAME}"),
            format!("/usr/local/lib/{multiarch}/{NAME}"),
            format!("/usr/lib64/{NAME}"),
            format!("/usr/lib/{NAME}"),
            format!("/usr/local/lib/{NAME}"),
            format!("/usr/lib/pypy3*/bin/{NAME}"),
            format!("/opt/pypy*/bin/{NAME}"),
            format!("/usr/local/pypy*/bin/{NAME}"),
        ];
        if let Some(home) = std::env::var_os("HOME").filter(|home| !home.is_empty()) {
            patterns.push(format!(
                "{}/.pyenv/versions/pypy3*/bin/{NAME}",
                Path::new(&home).display()
            ));
        }
        patterns
    }
}

/// Runs `search`: opens the first usable libpypy and chooses its home, or lists every place
/// tried. The library stays open for the life of the process.
pub fn find(search: &Search) -> Result<Installation, FindError> {
    if let Some(path) = &search.library {
        let library = open_file(path).map_err(|reason| {
            let attempt = Attempt {
                origin: Origin::Explicit,
                path: Some(path.clone()),
                reason,
            };
            FindError::Library(LibraryError {
                attempts: vec![attempt],
            })
        })?;
        return installation(search, library, path, Origin::Explicit, None);
    }
    let mut attempts: Vec<Attempt> = Vec::new();
    let tried = |attempts: &[Attempt], path: &Path| {
        attempts
            .iter()
            .any(|attempt| attempt.path.as_deref() == Some(path))
    };
    if let Some(program) = &search.interpreter {
        let origin = Origin::Interpreter(program.clone());
        match interpreter::ask(program) {
            Err(reason) => attempts.push(Attempt {
                origin,
                path: None,
                reason,
            }),
            Ok(answer) if answer.libraries.is_empty() => attempts.push(Attempt {
                origin,
                path: None,
                reason: "named no shared library (is this PyPy built without libpypy?)".to_owned(),
            }),
            Ok(answer) => {
                for path in answer.libraries {
                    match open_file(&path) {
                        Ok(library) => {
                            let stdlib = answer.stdlib.as_deref();
                            return installation(search, library, &path, origin, stdlib);
                        }
                        Err(reason) => attempts.push(Attempt {
                            origin: origin.clone(),
                            path: Some(path),
                            reason,
                        }),
                    }
                }
            }
        }
    }
    for pattern in &search.system_patterns {
        let origin = Origin::System(pattern.clone());
        let paths = glob::expand(pattern);
        if paths.is_empty() {
            attempts.push(Attempt {
                origin,
                path: None,
                reason: "nothing matches".to_owned(),
            });
            continue;
        }
        for path in paths {
            if tried(&attempts, &path) {
                continue;
            }
            match open_file(&path) {
                Ok(library) => return installation(search, library, &path, origin, None),
                Err(reason) => attempts.push(Attempt {
                    origin: origin.clone(),
                    path: Some(path),
                    reason,
                }),
            }
        }
    }
    Err(FindError::Library(LibraryError { attempts }))
}

/// Pairs an opened library with its home.
fn installation(
    search: &Search,
    library: LoadedLibrary,
    path: &Path,
    origin: Origin,
    reported_stdlib: Option<&Path>,
) -> Result<Installation, FindError> {
    let home =
        home::resolve(search.home.as_deref(), reported_stdlib, path).map_err(FindError::Home)?;
    Ok(Installation {
        library,
        home,
        origin,
    })
}

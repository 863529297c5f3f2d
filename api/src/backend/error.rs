//! `BackendError`: why a backend could not start or be reached.

/// Why a backend could not start or be reached: names what was looked for and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendError {
    /// The backend's name, e.g. `"pypy"`.
    pub backend: &'static str,
    /// What went wrong, including what was looked for and where.
    pub message: String,
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "anypy backend `{}`: {}", self.backend, self.message)
    }
}

impl std::error::Error for BackendError {}

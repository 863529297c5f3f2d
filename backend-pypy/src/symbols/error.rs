//! The error of a failed symbol lookup: the C-API name asked for, every spelling tried and the
//! library searched, so a missing function is diagnosed without reading the export table.

use std::fmt;

/// A C-API symbol was not found under any of its PyPy spellings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolError {
    /// The C-API name that was asked for (e.g. `PyDict_New`).
    pub c_name: String,
    /// The exported names tried, in order (e.g. `PyPyDict_New`, `PyDict_New`).
    pub tried: Vec<String>,
    /// The library searched (a path, or "the running process").
    pub library: String,
}

impl fmt::Display for SymbolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tried: Vec<String> = self.tried.iter().map(|name| format!("`{name}`")).collect();
        write!(
            f,
            "C-API symbol `{}` not found in {} (tried {})",
            self.c_name,
            self.library,
            tried.join(", ")
        )
    }
}

impl std::error::Error for SymbolError {}

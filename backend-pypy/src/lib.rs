//! The PyPy backend of anypy: PyPy's C-API (cpyext) reached through symbols looked up at run
//! time, from libpypy opened by this crate (embedding) or from the running process (extension).
//!
//! This crate holds the groundwork: [`library`] finds and opens libpypy, [`startup`] starts it
//! once per process, [`symbols`] maps C-API names to PyPy's exports, and [`layout`] records
//! the object layout that inline code relies on.
//!
//! ```no_run
//! let runtime = anypy_pypy::startup::runtime()?;
//! let from_long_long = runtime.lookup("PyLong_FromLongLong")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod layout;
pub mod library;
pub mod startup;
pub mod symbols;

//! The three handle types: `Py` (owned, outlives the GIL), `Bound` (owned, tied to the token)
//! and `Borrowed` (no refcount traffic).

mod borrowed;
mod bound;
mod py;

pub use borrowed::Borrowed;
pub use bound::Bound;
pub use py::Py;

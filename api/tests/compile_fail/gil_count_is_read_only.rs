//! The per-thread GIL count decides whether a drop decrefs at once: safe code may read it, not
//! change it.
use anypy::Backend;
use anypy_mock::Mock;

fn main() {
    Mock::gil_count().with(|count| count.cell().set(1));
}

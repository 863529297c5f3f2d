//! A backend's release queue is drained into `decref`: parking a pointer in it is `unsafe`.
use anypy::Backend;
use anypy_mock::Mock;

fn main() {
    Mock::state()
        .release_queue
        .push(std::ptr::NonNull::dangling());
}

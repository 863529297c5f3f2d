//! Dicts iterated the way PyPy's backend iterates them (Python's iterator protocol:
//! `Mock::iterate_dicts_by_protocol`), so that the mock checks that path's references too: the
//! conformance suite's dict iteration tests run again that way, each in its leak check. (Kept
//! out of the conformance binary, whose test count every backend must match.)

use anypy::types::PyDict;
use anypy::Python;
use anypy_conformance::suite::dict;
use anypy_mock::Mock;

fn by_protocol(test: fn()) {
    let _protocol = Mock::iterate_dicts_by_protocol();
    Mock::leak_check(test);
}

#[test]
fn views_and_size_change() {
    by_protocol(dict::dict_iteration_views_and_size_change::<Mock>);
}

#[test]
fn removal_while_iterating_panics() {
    by_protocol(dict::dict_removal_while_iterating_panics::<Mock>);
}

#[test]
fn nested_iteration() {
    by_protocol(dict::dict_nested_iteration::<Mock>);
}

#[test]
fn insertion_order() {
    by_protocol(dict::dict_insertion_order::<Mock>);
}

#[test]
fn maps() {
    by_protocol(dict::map_hashmap_roundtrip::<Mock>);
    by_protocol(dict::map_btreemap_roundtrip::<Mock>);
    by_protocol(dict::map_nested::<Mock>);
    by_protocol(dict::map_type_errors::<Mock>);
}

#[test]
fn the_protocol_is_what_runs() {
    // With the protocol, an iteration holds an iterator over the dict (one more object).
    let during = |by_protocol: bool| {
        let _protocol = by_protocol.then(Mock::iterate_dicts_by_protocol);
        Mock::leak_check(|| {
            Python::<Mock>::with_gil(|py| {
                let dict = PyDict::new(py).unwrap();
                dict.set_item("k", 1).unwrap();
                let before = Mock::live_objects();
                let values = dict.values();
                let during = Mock::live_objects();
                drop(values);
                during - before
            })
        })
    };
    assert_eq!(during(false), 0);
    assert_eq!(during(true), 1);
}

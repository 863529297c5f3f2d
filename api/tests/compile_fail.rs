//! What the compiler must refuse, each proven by its own error text: GIL-bound handles do not
//! cross threads or escape their scope, and sealed traits stay sealed. After a deliberate change
//! to those messages, regenerate the `.stderr` files with `TRYBUILD=overwrite` and review them.

#[test]
fn compile_fail() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}

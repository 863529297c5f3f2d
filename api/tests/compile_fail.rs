//! What the compiler must refuse, each proven by its own error text: GIL-bound handles do not
//! cross threads or escape their scope, and sealed traits stay sealed; and, beside them, what
//! a crate outside anypy must still be able to write. After a deliberate change to those
//! messages, regenerate the `.stderr` files with `TRYBUILD=overwrite` and review them.

#[test]
fn compile_fail() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
    cases.pass("tests/compile_pass/*.rs");
}

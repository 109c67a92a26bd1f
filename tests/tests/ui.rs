//! The compile-fail privacy suite: each `tests/ui/*.rs` is one violation,
//! and its `.stderr` is the exact message a developer sees.

#[test]
fn privacy_violations_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}

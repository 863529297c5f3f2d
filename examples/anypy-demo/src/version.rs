//! `Version`: a small value class defined in Rust — made from 'major.minor.patch' text, ordered
//! and hashed by its parts, so Python sorts versions, puts them in sets and compares them with
//! `<` and `==`. Against another type its comparisons return `NotImplemented`, so the other
//! operand (a Python class, say) is asked next.

use anypy::{Backend, ClassBuilder, CompareOp, ModuleBuilder, PyClass, PyResult, SlotKind};

use crate::errors::parse;

/// A version: (major, minor, patch).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Version(u32, u32, u32);

impl<B: Backend> PyClass<B> for Version {
    const NAME: &'static str = "Version";
    const MODULE: &'static str = "anypy_demo";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .doc("Version(text)\n\nA 'major.minor.patch' version, ordered by its parts.")?
            .constructor(|text: String| -> PyResult<Version, B> {
                let (major, minor, patch) = parse(&text)?;
                Ok(Version(major, minor, patch))
            })?
            .subclassable()?
            .compare(|a: &Version, b: &Version, op: CompareOp| op.matches(a.cmp(b)))?
            .slot(SlotKind::Hash, |this: &Version| {
                use std::hash::{BuildHasher, BuildHasherDefault};
                BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
                    .hash_one(this)
            })?
            .getter("parts", |this: &Version| (this.0, this.1, this.2))?
            .slot(SlotKind::Repr, |this: &Version| {
                format!("Version('{}.{}.{}')", this.0, this.1, this.2)
            })?;
        Ok(())
    }
}

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.class::<Version>()?;
    Ok(())
}

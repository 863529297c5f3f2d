//! The `TypeError`s of a call that does not fit a signature, worded exactly as CPython 3.11 words
//! them for a Python function (`Python/ceval.c`: `too_many_positional`, `missing_arguments`,
//! `format_missing`, `positional_only_passed_as_keyword`), and the error of an argument whose
//! value does not convert, naming the function and the parameter.

use crate::backend::{Backend, ExceptionKind};
use crate::err::PyErr;
use crate::exceptions::TypeError;
use crate::function::signature::{ParamKind, Signature};
use crate::python::Python;

fn type_error<B: Backend>(message: String) -> PyErr<B> {
    PyErr::new::<TypeError, _>(message)
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// `f() takes 2 positional arguments but 3 were given` (`from 1 to 2` when some have
/// defaults; `(and 1 keyword-only argument)` when keyword-only ones were passed).
#[cold]
pub(crate) fn too_many_positional<B: Backend>(
    signature: &Signature,
    given: usize,
    keyword_only_given: usize,
) -> PyErr<B> {
    let name = &signature.name;
    let positional = &signature.params[..signature.positional_count()];
    if !signature.is_named() {
        // A plain `fn` registered by position: no names to list, Python's count wording.
        let verb = if given == 1 { "was" } else { "were" };
        return type_error(match positional.len() {
            0 => format!("{name}() takes no arguments ({given} given)"),
            count => format!(
                "{name}() takes {count} positional argument{} but {given} {verb} given",
                plural(count)
            ),
        });
    }
    // A method's receiver counts as a positional parameter and argument, as CPython counts it.
    let receiver = usize::from(signature.receiver);
    let (given, accepted) = (given + receiver, positional.len() + receiver);
    let with_default = positional.iter().filter(|p| p.default.is_some()).count();
    let (count, plural_s) = if with_default > 0 {
        let at_least = accepted - with_default;
        (format!("from {at_least} to {accepted}"), "s")
    } else {
        (accepted.to_string(), plural(accepted))
    };
    let keyword_only = if keyword_only_given > 0 {
        format!(
            " positional argument{} (and {keyword_only_given} keyword-only argument{})",
            plural(given),
            plural(keyword_only_given)
        )
    } else {
        String::new()
    };
    let verb = if given == 1 && keyword_only_given == 0 {
        "was"
    } else {
        "were"
    };
    type_error(format!(
        "{name}() takes {count} positional argument{plural_s} but {given}{keyword_only} {verb} given"
    ))
}

/// `f() missing 2 required positional arguments: 'a' and 'b'` (or `keyword-only`), for the
/// parameters of `kind` whose slots are empty.
#[cold]
pub(crate) fn missing<B: Backend, T>(
    signature: &Signature,
    slots: &[Option<T>],
    keyword_only: bool,
) -> PyErr<B> {
    if !signature.is_named() {
        let given = slots.iter().filter(|slot| slot.is_some()).count();
        return too_many_positional(signature, given, 0);
    }
    let names: Vec<String> = signature
        .params
        .iter()
        .zip(slots)
        .filter(|(param, slot)| {
            slot.is_none()
                && param.default.is_none()
                && (param.kind == ParamKind::KeywordOnly) == keyword_only
        })
        .map(|(param, _)| format!("'{}'", param.name))
        .collect();
    let listed = match names.as_slice() {
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., before_last, last] => format!("{}, {before_last}, and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let kind = if keyword_only {
        "keyword-only"
    } else {
        "positional"
    };
    type_error(format!(
        "{}() missing {} required {kind} argument{}: {listed}",
        signature.name,
        names.len(),
        plural(names.len())
    ))
}

/// `f() got an unexpected keyword argument 'x'`, or, when `x` names positional-only parameters
/// (and there is no `**kwargs`), `f() got some positional-only arguments passed as keyword
/// arguments: 'a, b'` listing every one passed so.
#[cold]
pub(crate) fn unexpected_keyword<B: Backend>(
    signature: &Signature,
    keyword: &str,
    keywords: impl Iterator<Item = String>,
) -> PyErr<B> {
    let positional_only = &signature.params[..signature.positional_only_count()];
    if signature.var_kwargs.is_none() && positional_only.iter().any(|p| p.name == keyword) {
        let passed: Vec<String> = keywords.collect();
        let names: Vec<&str> = positional_only
            .iter()
            .filter(|param| passed.iter().any(|name| *name == param.name))
            .map(|param| &*param.name)
            .collect();
        return type_error(format!(
            "{}() got some positional-only arguments passed as keyword arguments: '{}'",
            signature.name,
            names.join(", ")
        ));
    }
    type_error(format!(
        "{}() got an unexpected keyword argument '{keyword}'",
        signature.name
    ))
}

/// `f() got multiple values for argument 'a'`.
#[cold]
pub(crate) fn multiple_values<B: Backend>(signature: &Signature, keyword: &str) -> PyErr<B> {
    type_error(format!(
        "{}() got multiple values for argument '{keyword}'",
        signature.name
    ))
}

/// Rewrites an argument's conversion error to name the function and the parameter, keeping its
/// class: `greet() argument 'name': expected str, got int` (`argument 2` when unnamed).
#[cold]
pub(crate) fn argument_error<B: Backend>(
    py: Python<'_, B>,
    signature: &Signature,
    parameter: &str,
    index: usize,
    err: PyErr<B>,
) -> PyErr<B> {
    let argument = match parameter {
        "" => format!("argument {}", index + 1),
        name => format!("argument '{name}'"),
    };
    let kind = err.kind(py).unwrap_or(ExceptionKind::TypeError);
    PyErr::from_kind(
        kind,
        format!("{}() {argument}: {}", signature.name, err.message(py)),
    )
}

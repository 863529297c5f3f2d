//! `Signature`: the Python-visible parameter list of a native function or method — names,
//! kinds, defaults, `*args`/`**kwargs` — from which come its text signature (what
//! `inspect.signature` reads) and the wording of its argument errors.

use std::borrow::Cow;

/// How a parameter may be passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Only by position (before `/`).
    PositionalOnly,
    /// By position or by keyword.
    PositionalOrKeyword,
    /// Only by keyword (after `*` or `*args`).
    KeywordOnly,
}

/// One parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name (empty for the unnamed parameters of a plain `fn` registered by position).
    pub name: Cow<'static, str>,
    /// How it may be passed.
    pub kind: ParamKind,
    /// The default as Python source (`1`, `'x'`, `None`, `...` when it has no Python
    /// spelling); `None` when the parameter is required.
    pub default: Option<Cow<'static, str>>,
}

/// A function's parameter list, in declaration order: positional-only, then
/// positional-or-keyword, then keyword-only parameters (the order a Python `def` requires).
///
/// ```
/// use anypy::{ParamKind, Signature};
///
/// let signature = Signature::new("greet")
///     .param("name", ParamKind::PositionalOrKeyword, None)
///     .param("times", ParamKind::PositionalOrKeyword, Some("1"))
///     .param("sep", ParamKind::KeywordOnly, Some("\" \""));
/// assert_eq!(signature.text_signature(None), "(name, times=1, *, sep=\" \")");
/// ```
#[derive(Clone, Debug)]
pub struct Signature {
    pub(crate) name: Cow<'static, str>,
    pub(crate) params: Vec<Param>,
    pub(crate) var_args: Option<Cow<'static, str>>,
    pub(crate) var_kwargs: Option<Cow<'static, str>>,
    /// Whether a first parameter (`self`, `cls`) is passed implicitly, as to a method.
    pub(crate) receiver: bool,
}

impl Signature {
    /// No parameters yet. `name` is what errors call the function: its `__qualname__`
    /// (`greet`, or `Counter.incr` for a method).
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Signature {
            name: name.into(),
            params: Vec::new(),
            var_args: None,
            var_kwargs: None,
            receiver: false,
        }
    }

    /// Marks the signature as a method's: its receiver (`self`, `cls`) is passed implicitly, so
    /// argument counts in errors include it, as CPython counts them for a Python method
    /// (`Counter.incr() takes from 1 to 2 positional arguments but 3 were given`).
    pub fn with_receiver(mut self) -> Self {
        self.receiver = true;
        self
    }

    /// `count` unnamed positional-only parameters: a plain `fn` registered by position.
    /// Errors then number the arguments (`add() argument 2: ...`).
    pub fn positional(name: impl Into<Cow<'static, str>>, count: usize) -> Self {
        let mut signature = Signature::new(name);
        signature.params = (0..count)
            .map(|_| Param {
                name: Cow::Borrowed(""),
                kind: ParamKind::PositionalOnly,
                default: None,
            })
            .collect();
        signature
    }

    /// Adds a parameter; `default` is the default's Python source, `None` if required.
    pub fn param(
        mut self,
        name: impl Into<Cow<'static, str>>,
        kind: ParamKind,
        default: Option<&'static str>,
    ) -> Self {
        self.params.push(Param {
            name: name.into(),
            kind,
            default: default.map(Cow::Borrowed),
        });
        self
    }

    /// Collects extra positional arguments under `name` (`*args`).
    pub fn var_args(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.var_args = Some(name.into());
        self
    }

    /// Collects extra keyword arguments under `name` (`**kwargs`).
    pub fn var_kwargs(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.var_kwargs = Some(name.into());
        self
    }

    /// The function's name as errors show it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameters, in order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// Whether the parameters have names (false for a plain `fn` registered by position).
    pub fn is_named(&self) -> bool {
        self.params.iter().all(|param| !param.name.is_empty())
    }

    /// Whether calls carry no argument at all (no parameter, no `*args`, no `**kwargs`):
    /// such a function can use the interpreter's cheapest convention (`METH_NOARGS`).
    pub fn takes_nothing(&self) -> bool {
        self.params.is_empty() && self.var_args.is_none() && self.var_kwargs.is_none()
    }

    /// How many parameters can be passed by position.
    pub(crate) fn positional_count(&self) -> usize {
        self.params
            .iter()
            .take_while(|param| param.kind != ParamKind::KeywordOnly)
            .count()
    }

    /// How many parameters are positional-only.
    pub(crate) fn positional_only_count(&self) -> usize {
        self.params
            .iter()
            .take_while(|param| param.kind == ParamKind::PositionalOnly)
            .count()
    }

    /// Checks what a Python `def` would refuse: kinds out of order, a required positional
    /// parameter after one with a default, duplicate names. A parameter whose default is only
    /// implied (`Option` defaulting to `None`) before a required one becomes required instead,
    /// as `def` forces.
    pub(crate) fn validate(mut self) -> Result<Self, String> {
        let kinds_in_order = self
            .params
            .windows(2)
            .all(|pair| kind_rank(pair[0].kind) <= kind_rank(pair[1].kind));
        if !kinds_in_order {
            return Err(format!(
                "{}(): positional-only, then positional-or-keyword, then keyword-only parameters",
                self.name
            ));
        }
        let positional = self.positional_count();
        let mut required_seen = false;
        for param in self.params[..positional].iter_mut().rev() {
            if param.default.is_none() {
                required_seen = true;
            } else if required_seen {
                if param.default.as_deref() == Some("None") {
                    param.default = None;
                } else {
                    return Err(format!(
                        "{}(): parameter '{}' has a default but a later positional parameter \
                         does not",
                        self.name, param.name
                    ));
                }
            }
        }
        let mut names: Vec<&str> = self.params.iter().map(|param| &*param.name).collect();
        names.extend(self.var_args.as_deref());
        names.extend(self.var_kwargs.as_deref());
        names.retain(|name| !name.is_empty());
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(format!(
                "{}(): duplicate parameter name '{}'",
                self.name, pair[0]
            ));
        }
        Ok(self)
    }

    /// The signature as Python writes it, e.g. `(a, b=1, /, *args, c, **kwargs)`, with
    /// `receiver` (`$self`, `$type`, `$module`) first if given: the part of `__text_signature__`
    /// that `inspect.signature` parses. Unnamed parameters are written `arg1`, `arg2`, ...
    pub fn text_signature(&self, receiver: Option<&str>) -> String {
        let mut parts: Vec<String> = receiver.map(str::to_owned).into_iter().collect();
        let positional_only = self.positional_only_count();
        let mut star_written = false;
        for (index, param) in self.params.iter().enumerate() {
            if param.kind == ParamKind::KeywordOnly && !star_written {
                parts.push(match &self.var_args {
                    Some(name) => format!("*{name}"),
                    None => "*".to_owned(),
                });
                star_written = true;
            }
            let name = match &*param.name {
                "" => format!("arg{}", index + 1),
                name => name.to_owned(),
            };
            parts.push(match &param.default {
                Some(default) => format!("{name}={default}"),
                None => name,
            });
            if index + 1 == positional_only {
                parts.push("/".to_owned());
            }
        }
        if let (Some(name), false) = (&self.var_args, star_written) {
            parts.push(format!("*{name}"));
        }
        if let Some(name) = &self.var_kwargs {
            parts.push(format!("**{name}"));
        }
        format!("({})", parts.join(", "))
    }

    /// The docstring in the C-API's convention, `name(sig)\n--\n\n` then `doc`: CPython and
    /// PyPy split it into `__text_signature__` and `__doc__`.
    pub fn docstring(&self, doc: &str) -> String {
        self.docstring_with(None, doc)
    }

    /// [`Signature::docstring`] with `receiver` (`$self`, `$type`) first in the signature, as
    /// a method's docstring has it.
    pub fn docstring_with(&self, receiver: Option<&str>, doc: &str) -> String {
        let name = self.name.rsplit('.').next().unwrap_or(&self.name);
        format!("{name}{}\n--\n\n{doc}", self.text_signature(receiver))
    }
}

fn kind_rank(kind: ParamKind) -> u8 {
    match kind {
        ParamKind::PositionalOnly => 0,
        ParamKind::PositionalOrKeyword => 1,
        ParamKind::KeywordOnly => 2,
    }
}

/// A Rust default expression as Python source for the text signature: literals carry over
/// (`true` becomes `True`, `1usize` becomes `1`, `Some(x)` becomes `x`), anything else is `...`
/// (Python's `Ellipsis`: "computed at call time"), so `inspect.signature` always parses it.
pub fn python_default(rust: &str) -> Cow<'static, str> {
    let rust = rust.trim();
    if let Some(inner) = rust
        .strip_prefix("Some(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return python_default(inner);
    }
    match rust {
        "true" => return Cow::Borrowed("True"),
        "false" => return Cow::Borrowed("False"),
        "None" => return Cow::Borrowed("None"),
        _ => {}
    }
    let is_plain_string = rust.len() >= 2
        && rust.starts_with('"')
        && rust.ends_with('"')
        && !rust[1..rust.len() - 1].contains(['"', '\\']);
    if is_plain_string {
        return Cow::Owned(format!(
            "'{}'",
            &rust[1..rust.len() - 1].replace('\'', "\\'")
        ));
    }
    if let Some(number) = strip_suffix_of_number(rust) {
        let number = number.replace('_', "");
        if number.parse::<i128>().is_ok() || number.parse::<f64>().is_ok_and(f64::is_finite) {
            return Cow::Owned(number);
        }
    }
    Cow::Borrowed("...")
}

/// `1usize` -> `1`, `2.5f64` -> `2.5`, `-3` -> `-3`; `None` if `rust` is not a number literal.
fn strip_suffix_of_number(rust: &str) -> Option<&str> {
    const SUFFIXES: [&str; 14] = [
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
        "f32", "f64",
    ];
    let body = SUFFIXES
        .iter()
        .find_map(|suffix| rust.strip_suffix(suffix))
        .unwrap_or(rust);
    let digits = body.strip_prefix('-').unwrap_or(body);
    let numeric = !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | 'e' | 'E' | '+' | '-'));
    numeric.then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_defaults_become_python_source() {
        assert_eq!(python_default("1"), "1");
        assert_eq!(python_default("1usize"), "1");
        assert_eq!(python_default("-2_000i64"), "-2000");
        assert_eq!(python_default("2.5f64"), "2.5");
        assert_eq!(python_default("true"), "True");
        assert_eq!(python_default("\" \""), "' '");
        assert_eq!(python_default("Some(3)"), "3");
        assert_eq!(python_default("None"), "None");
        assert_eq!(python_default("Vec::new()"), "...");
        assert_eq!(python_default("\"a\\\"b\""), "...");
        assert_eq!(python_default("i64::MAX"), "...");
    }

    #[test]
    fn text_signatures_place_the_markers() {
        let signature = Signature::new("f")
            .param("a", ParamKind::PositionalOnly, None)
            .param("b", ParamKind::PositionalOrKeyword, Some("1"))
            .param("c", ParamKind::KeywordOnly, None)
            .var_args("args")
            .var_kwargs("kw");
        assert_eq!(
            signature.text_signature(Some("$module")),
            "($module, a, /, b=1, *args, c, **kw)"
        );
        assert_eq!(
            Signature::positional("g", 2).text_signature(None),
            "(arg1, arg2, /)"
        );
        assert_eq!(
            Signature::new("h").var_args("rest").text_signature(None),
            "(*rest)"
        );
    }

    #[test]
    fn validation_follows_def() {
        let implied = Signature::new("f")
            .param("a", ParamKind::PositionalOrKeyword, Some("None"))
            .param("b", ParamKind::PositionalOrKeyword, None)
            .validate()
            .unwrap();
        assert!(implied.params[0].default.is_none());
        let explicit = Signature::new("f")
            .param("a", ParamKind::PositionalOrKeyword, Some("1"))
            .param("b", ParamKind::PositionalOrKeyword, None)
            .validate();
        assert!(explicit.is_err());
        let duplicate = Signature::new("f")
            .param("a", ParamKind::PositionalOrKeyword, None)
            .var_kwargs("a")
            .validate();
        assert!(duplicate.is_err());
    }
}

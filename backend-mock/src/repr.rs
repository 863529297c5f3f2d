//! `repr()` and `str()` as Python prints them, and the short bounded repr (at most 60
//! characters, no allocation) that panic messages, tombstones and leak reports use.

use std::fmt::{self, Write};

use anypy::ExceptionKind;

use crate::class::Class;
use crate::detect;
use crate::dict_table::DictTable;
use crate::errors::Exc;
use crate::handle::Handle;
use crate::heap::{Heap, Stale};
use crate::object::Kind;

/// The longest short repr, in bytes.
const SHORT_LIMIT: usize = 60;
/// The deepest nesting a full repr follows (Python's default recursion limit is 1000).
const MAX_DEPTH: usize = 400;
/// The deepest nesting a short repr shows before writing `...`.
const SHORT_DEPTH: usize = 8;

/// Up to [`SHORT_LIMIT`] bytes of text kept inline; shown with `...` when it was cut.
#[derive(Clone, Copy)]
pub(crate) struct ShortText {
    buf: [u8; SHORT_LIMIT],
    len: u8,
    cut: bool,
}

impl ShortText {
    /// Empty text.
    pub(crate) fn new() -> ShortText {
        ShortText {
            buf: [0; SHORT_LIMIT],
            len: 0,
            cut: false,
        }
    }

    /// The text kept.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or_default()
    }
}

/// The longest prefix of `text` at most `max` bytes long that ends on a char boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Write for ShortText {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let len = usize::from(self.len);
        let kept = prefix(text, SHORT_LIMIT - len);
        self.buf[len..len + kept.len()].copy_from_slice(kept.as_bytes());
        self.len = (len + kept.len()) as u8;
        if kept.len() < text.len() {
            self.cut = true;
            return Err(fmt::Error);
        }
        Ok(())
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cut {
            write!(f, "{}...", prefix(self.as_str(), SHORT_LIMIT - 3))
        } else {
            f.write_str(self.as_str())
        }
    }
}

/// The short repr of whatever `handle` names; never panics (freed items show as `<freed>`).
pub(crate) fn short(heap: &Heap, handle: Handle) -> ShortText {
    let mut text = ShortText::new();
    // A full buffer stops the walk early; what fits is what is wanted.
    let _ = Writer {
        heap,
        out: &mut text,
        strict: false,
        stack: Vec::new(),
    }
    .object(handle);
    text
}

/// Why a repr stopped.
enum Stop {
    /// The output is full (short reprs only).
    Full,
    /// A Python exception (recursion too deep).
    Raise(Exc),
}

impl From<fmt::Error> for Stop {
    fn from(_: fmt::Error) -> Stop {
        Stop::Full
    }
}

/// Walks an object graph writing reprs. Strict mode (Python's `repr`) panics on freed or unset
/// items; lenient mode (diagnostics) writes a marker instead.
struct Writer<'h, 'o, W> {
    heap: &'h Heap,
    out: &'o mut W,
    strict: bool,
    /// Containers being written, to print `[...]` for self-references.
    stack: Vec<Handle>,
}

impl<W: Write> Writer<'_, '_, W> {
    fn object(&mut self, handle: Handle) -> Result<(), Stop> {
        let heap = self.heap;
        let object = match heap.lookup(handle) {
            Ok(object) => object,
            Err(stale) if self.strict => detect::stale_access(heap, handle, &stale),
            Err(Stale::Invalid) => return Ok(self.out.write_str("<invalid>")?),
            Err(_) => return Ok(self.out.write_str("<freed>")?),
        };
        match &object.kind {
            Kind::None => self.out.write_str("None")?,
            Kind::Bool(value) => self.out.write_str(if *value { "True" } else { "False" })?,
            Kind::Int(value) => write!(self.out, "{value}")?,
            Kind::BigInt(value) => write!(self.out, "{value}")?,
            Kind::Float(value) => write_float(self.out, *value)?,
            Kind::Str(text) => {
                write_str_repr(self.out, if self.strict { text } else { prefix(text, 256) })?
            }
            Kind::Bytes(bytes) => write_bytes_repr(
                self.out,
                if self.strict {
                    bytes
                } else {
                    &bytes[..bytes.len().min(256)]
                },
            )?,
            Kind::Tuple(items) => {
                let close = if items.len() == 1 { ",)" } else { ")" };
                self.nested(handle, "(", close, |writer| writer.items(handle, items))?
            }
            Kind::List(items) => {
                self.nested(handle, "[", "]", |writer| writer.items(handle, items))?
            }
            Kind::Dict(table) => self.nested(handle, "{", "}", |writer| writer.entries(table))?,
            Kind::Set(table) | Kind::FrozenSet(table) => {
                let frozen = matches!(object.kind, Kind::FrozenSet(_));
                match (frozen, table.len()) {
                    (false, 0) => self.out.write_str("set()")?,
                    (true, 0) => self.out.write_str("frozenset()")?,
                    (false, _) => self.nested(handle, "{", "}", |writer| writer.keys(table))?,
                    (true, _) => {
                        self.nested(handle, "frozenset({", "})", |writer| writer.keys(table))?
                    }
                }
            }
            Kind::Namespace(table) => {
                self.nested(handle, "namespace(", ")", |writer| writer.keywords(table))?
            }
            Kind::Module(module) if module.builtin => {
                write!(self.out, "<module '{}' (built-in)>", module.name)?
            }
            Kind::Module(module) => write!(self.out, "<module '{}'>", module.name)?,
            Kind::Function(function) => write!(self.out, "<built-in function {}>", function.name)?,
            Kind::Builtin(function) => write!(self.out, "<built-in function {}>", function.name())?,
            Kind::Instance(instance) => write!(
                self.out,
                "<{} object at {:#x}>",
                instance.class.0.qualified,
                handle.bits()
            )?,
            Kind::BoundMethod(receiver, method) => self.bound_method(&method.name, *receiver)?,
            Kind::Method(receiver, method) => self.bound_method(method.name(), *receiver)?,
            Kind::Iter(state) => write!(self.out, "<{} object>", state.class().name())?,
            Kind::Exception(class, args) => {
                self.out.write_str(class.name())?;
                match heap
                    .lookup(*args)
                    .ok()
                    .and_then(|args| args.kind.as_sequence())
                {
                    Some([Some(only)]) => {
                        self.nested(handle, "(", ")", |writer| writer.object(*only))?
                    }
                    _ => self.object(*args)?,
                }
            }
            Kind::Type(class) => write!(self.out, "<class '{}'>", class.qualified_name())?,
        }
        Ok(())
    }

    /// `<built-in method name of owner object>`.
    fn bound_method(&mut self, name: &str, receiver: Handle) -> Result<(), Stop> {
        let owner = self
            .heap
            .lookup(receiver)
            .map_or("?", |object| object.kind.class().name());
        write!(self.out, "<built-in method {name} of {owner} object>")?;
        Ok(())
    }

    /// Writes a container between `open` and `close`, or `open...close` if it is already being
    /// written (a self-reference).
    fn nested(
        &mut self,
        handle: Handle,
        open: &str,
        close: &str,
        body: impl FnOnce(&mut Self) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        self.out.write_str(open)?;
        if (!self.strict && self.stack.len() >= SHORT_DEPTH) || self.stack.contains(&handle) {
            self.out.write_str("...")?;
        } else {
            if self.strict && self.stack.len() >= MAX_DEPTH {
                return Err(Stop::Raise(Exc::new(
                    ExceptionKind::RuntimeError,
                    "maximum recursion depth exceeded while getting the repr of an object",
                )));
            }
            self.stack.push(handle);
            body(self)?;
            self.stack.pop();
        }
        Ok(self.out.write_str(close)?)
    }

    fn items(&mut self, owner: Handle, items: &[Option<Handle>]) -> Result<(), Stop> {
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.out.write_str(", ")?;
            }
            match item {
                Some(item) => self.object(*item)?,
                None if self.strict => detect::misuse(
                    self.heap,
                    format_args!(
                        "item {index} of {} was read before being set",
                        self.heap.describe(owner)
                    ),
                ),
                None => self.out.write_str("<NULL>")?,
            }
        }
        Ok(())
    }

    fn entries(&mut self, table: &DictTable) -> Result<(), Stop> {
        for (index, entry) in table.iter().enumerate() {
            if index > 0 {
                self.out.write_str(", ")?;
            }
            self.object(entry.key)?;
            self.out.write_str(": ")?;
            self.object(entry.value)?;
        }
        Ok(())
    }

    fn keys(&mut self, table: &DictTable) -> Result<(), Stop> {
        for (index, entry) in table.iter().enumerate() {
            if index > 0 {
                self.out.write_str(", ")?;
            }
            self.object(entry.key)?;
        }
        Ok(())
    }

    fn keywords(&mut self, table: &DictTable) -> Result<(), Stop> {
        for (index, entry) in table.iter().enumerate() {
            if index > 0 {
                self.out.write_str(", ")?;
            }
            let name = self
                .heap
                .lookup(entry.key)
                .ok()
                .and_then(|key| key.kind.as_str());
            self.out.write_str(name.unwrap_or("?"))?;
            self.out.write_char('=')?;
            self.object(entry.value)?;
        }
        Ok(())
    }
}

impl Heap {
    /// `repr(obj)`.
    pub(crate) fn repr_text(&self, handle: Handle) -> Result<String, Exc> {
        let mut text = String::new();
        let mut writer = Writer {
            heap: self,
            out: &mut text,
            strict: true,
            stack: Vec::new(),
        };
        match writer.object(handle) {
            Ok(()) => Ok(text),
            Err(Stop::Raise(exc)) => Err(exc),
            Err(Stop::Full) => unreachable!("a String never fills up"),
        }
    }

    /// `str(obj)`: the text itself for a str, the message for an exception, else the repr.
    pub(crate) fn str_text(&self, handle: Handle) -> Result<String, Exc> {
        let mut current = handle;
        // An exception's str is its only argument's str: follow such chains, boundedly (an
        // exception can be its own argument).
        for _ in 0..MAX_DEPTH {
            match self.kind(current) {
                Kind::Str(text) => return Ok(text.clone()),
                Kind::Exception(class, args) => match self.sequence_items(*args).as_slice() {
                    [] => return Ok(String::new()),
                    [only] if class.is_subclass_of(Class::Exception(ExceptionKind::KeyError)) => {
                        return self.repr_text(*only)
                    }
                    [only] => current = *only,
                    _ => return self.repr_text(*args),
                },
                _ => return self.repr_text(current),
            }
        }
        self.repr_text(current)
    }
}

/// Writes a float as Python's `repr` does: the shortest digits that round-trip, in positional
/// notation for exponents -4..16 (with `.0` when integral), else `1e+100` style.
pub(crate) fn write_float(out: &mut impl Write, value: f64) -> fmt::Result {
    if value.is_nan() {
        return out.write_str("nan");
    }
    if value.is_infinite() {
        return out.write_str(if value > 0.0 { "inf" } else { "-inf" });
    }
    let mut scientific = ShortText::new();
    write!(scientific, "{value:e}")?;
    let (mantissa, exponent) = scientific.as_str().split_once('e').ok_or(fmt::Error)?;
    let exponent: i32 = exponent.parse().map_err(|_| fmt::Error)?;
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let mut digits = ShortText::new();
    for part in mantissa.split('.') {
        digits.write_str(part)?;
    }
    let digits = digits.as_str();
    if negative {
        out.write_char('-')?;
    }
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let whole = exponent as usize + 1;
            if digits.len() <= whole {
                out.write_str(digits)?;
                for _ in digits.len()..whole {
                    out.write_char('0')?;
                }
                out.write_str(".0")
            } else {
                write!(out, "{}.{}", &digits[..whole], &digits[whole..])
            }
        } else {
            out.write_str("0.")?;
            for _ in 0..(-exponent - 1) {
                out.write_char('0')?;
            }
            out.write_str(digits)
        }
    } else {
        out.write_str(&digits[..1])?;
        if digits.len() > 1 {
            write!(out, ".{}", &digits[1..])?;
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        write!(out, "e{sign}{:02}", exponent.unsigned_abs())
    }
}

/// The quote Python uses: `'` unless the text has a `'` and no `"`.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double {
        '"'
    } else {
        '\''
    }
}

/// Writes a str literal as Python's `repr` does.
fn write_str_repr(out: &mut impl Write, text: &str) -> fmt::Result {
    let quote = quote_for(text.contains('\''), text.contains('"'));
    out.write_char(quote)?;
    for c in text.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c == quote => write!(out, "\\{c}")?,
            c if c.is_control() && u32::from(c) <= 0xff => write!(out, "\\x{:02x}", u32::from(c))?,
            c if c.is_control() => write!(out, "\\u{:04x}", u32::from(c))?,
            c => out.write_char(c)?,
        }
    }
    out.write_char(quote)
}

/// Writes a bytes literal as Python's `repr` does.
fn write_bytes_repr(out: &mut impl Write, bytes: &[u8]) -> fmt::Result {
    let quote = quote_for(bytes.contains(&b'\''), bytes.contains(&b'"'));
    out.write_char('b')?;
    out.write_char(quote)?;
    for &byte in bytes {
        match byte {
            b'\\' => out.write_str("\\\\")?,
            b'\n' => out.write_str("\\n")?,
            b'\r' => out.write_str("\\r")?,
            b'\t' => out.write_str("\\t")?,
            byte if char::from(byte) == quote => write!(out, "\\{quote}")?,
            0x20..=0x7e => out.write_char(char::from(byte))?,
            byte => write!(out, "\\x{byte:02x}")?,
        }
    }
    out.write_char(quote)
}

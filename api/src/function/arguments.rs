//! Matching one call's arguments to a signature, as CPython binds a Python function's: positional
//! arguments fill the positional parameters, keywords (the vectorcall `kwnames`, no dict) fill
//! the rest by name, extras go to `*args`/`**kwargs`, and every mismatch is CPython's error.
//! Shared by functions and methods: a method passes its arguments after the receiver.

use crate::backend::Backend;
use crate::err::PyResult;
use crate::function::argument_errors;
use crate::function::signature::{ParamKind, Signature};
use crate::instance::{Borrowed, Bound, Py};
use crate::python::Python;
use crate::types::{PyAny, PyDict, PyStr, PyTuple};

/// One call's arguments as the interpreter passes them (vectorcall): `args` holds the positional
/// arguments, then the values of the keywords named in `kwnames`.
///
/// Made only through the `unsafe` [`CallArgs::new`]: keyword matching reads the names out of
/// `kwnames` without a bounds check, so a mismatched value built by safe code would read past
/// the tuple.
pub struct CallArgs<'a, 'py, B: Backend> {
    args: &'a [Borrowed<'a, 'py, PyAny, B>],
    nargs: usize,
    kwnames: Option<Borrowed<'a, 'py, PyTuple, B>>,
    /// What the caller checked: see [`Shape`].
    shape: Shape,
}

/// What the caller of [`Parameters::parse`] checked about a call, so that a copy of the call
/// made for one kind of call at compile time skips the checks it made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Nothing.
    Unchecked,
    /// Every parameter by position and nothing else ([`Parameters::is_all_positional`]).
    AllPositional,
    /// Anything else: keywords, or another number of positional arguments.
    Other,
}

impl<'a, 'py, B: Backend> CallArgs<'a, 'py, B> {
    /// One call's arguments.
    ///
    /// # Safety
    /// `nargs <= args.len()`, and `kwnames` is a tuple of `str` with exactly
    /// `args.len() - nargs` items (`None` only when that is zero): the vectorcall contract.
    #[inline(always)]
    pub unsafe fn new(
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
        nargs: usize,
        kwnames: Option<Borrowed<'a, 'py, PyTuple, B>>,
    ) -> Self {
        CallArgs {
            args,
            nargs,
            kwnames,
            shape: Shape::Unchecked,
        }
    }

    /// A call that [`Parameters::is_all_positional`] found not all-positional: `parse` goes
    /// straight to keyword matching.
    ///
    /// # Safety
    /// As [`CallArgs::new`].
    #[inline(always)]
    pub(crate) unsafe fn not_all_positional(
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
        nargs: usize,
        kwnames: Option<Borrowed<'a, 'py, PyTuple, B>>,
    ) -> Self {
        CallArgs {
            shape: Shape::Other,
            // SAFETY: as the caller's.
            ..unsafe { Self::new(args, nargs, kwnames) }
        }
    }

    /// A call that passes every parameter by position and nothing else, as
    /// [`Parameters::is_all_positional`] checked: [`Parameters::parse`] then fills the slots
    /// with no check, in a copy of the call where this is known at compile time.
    ///
    /// # Safety
    /// As [`CallArgs::new`] with `nargs == args.len()` and no keywords.
    #[inline(always)]
    pub(crate) unsafe fn all_positional(args: &'a [Borrowed<'a, 'py, PyAny, B>]) -> Self {
        CallArgs {
            args,
            nargs: args.len(),
            kwnames: None,
            shape: Shape::AllPositional,
        }
    }

    /// The positional arguments followed by the keyword values.
    pub fn args(&self) -> &'a [Borrowed<'a, 'py, PyAny, B>] {
        self.args
    }

    /// How many of [`CallArgs::args`] are positional.
    pub fn nargs(&self) -> usize {
        self.nargs
    }

    /// The keyword names, one per value after the positional ones; `None` if no keywords.
    pub fn kwnames(&self) -> Option<Borrowed<'a, 'py, PyTuple, B>> {
        self.kwnames
    }
}

impl<B: Backend> Clone for CallArgs<'_, '_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B: Backend> Copy for CallArgs<'_, '_, B> {}

/// A signature ready for calls: the parameter names interned once, so that a keyword is
/// usually found by comparing pointers (names in Python source are interned), as CPython does.
pub struct Parameters<B: Backend> {
    signature: Signature,
    interned: Vec<Py<PyStr, B>>,
    positional: usize,
    positional_only: usize,
    required_positional: usize,
    /// Bit `i` set: parameter `i` is required (parameters past 64 are checked by the slow path).
    required: u64,
    /// No `*args` and no `**kwargs`: every argument goes to a slot.
    slots_only: bool,
    /// How many arguments a call passing every parameter by position has: the number of
    /// parameters, or `usize::MAX` if one is keyword-only (no call has that many).
    all_positional: usize,
}

/// The arguments of one call matched to `N` parameters: each slot borrows the caller's
/// argument (no refcount traffic) or is empty (a default applies).
pub struct Arguments<'a, 'py, B: Backend, const N: usize> {
    /// One slot per parameter, in order.
    pub slots: [Option<&'a Borrowed<'a, 'py, PyAny, B>>; N],
    /// Positional arguments beyond the parameters (only with `*args`).
    pub var_args: &'a [Borrowed<'a, 'py, PyAny, B>],
    /// Keywords matching no parameter (only with `**kwargs`; `None` when there were none).
    pub var_kwargs: Option<Bound<'py, PyDict, B>>,
}

impl<B: Backend> Parameters<B> {
    /// Checks `signature` (as `def` would) and interns its names.
    pub fn new(py: Python<'_, B>, signature: Signature) -> PyResult<Self, B> {
        let signature = signature
            .validate()
            .map_err(crate::PyErr::new::<crate::exceptions::TypeError, _>)?;
        let mut interned = Vec::with_capacity(signature.params.len());
        for param in &signature.params {
            // SAFETY: the token proves the GIL; the result is a new reference or an error.
            let name: Bound<'_, PyStr, B> =
                unsafe { Bound::from_owned_ptr_or_err(py, B::str_intern(&param.name))? };
            interned.push(name.unbind());
        }
        let positional = signature.positional_count();
        let required_positional = signature.params[..positional]
            .iter()
            .filter(|param| param.default.is_none())
            .count();
        let required = signature
            .params
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, param)| param.default.is_none())
            .fold(0u64, |mask, (index, _)| mask | 1 << index);
        let all_positional = if positional == signature.params.len() {
            positional
        } else {
            usize::MAX
        };
        Ok(Parameters {
            all_positional,
            required,
            slots_only: signature.var_args.is_none()
                && signature.var_kwargs.is_none()
                && signature.params.len() <= 64,
            positional_only: signature.positional_only_count(),
            positional,
            required_positional,
            interned,
            signature,
        })
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Whether a call with `nargs` positional arguments (and keywords if `keywords`) passes
    /// every parameter by position and nothing else: then it can be made with
    /// [`CallArgs::all_positional`].
    #[inline(always)]
    pub(crate) fn is_all_positional(&self, nargs: usize, keywords: bool) -> bool {
        !keywords && nargs == self.all_positional
    }

    /// Matches `call` to the parameters; `N` is their number.
    #[inline(always)]
    pub fn parse<'a, 'py, const N: usize>(
        &self,
        py: Python<'py, B>,
        call: CallArgs<'a, 'py, B>,
    ) -> PyResult<Arguments<'a, 'py, B, N>, B> {
        debug_assert_eq!(N, self.signature.params.len());
        let CallArgs {
            args,
            nargs,
            kwnames,
            shape,
        } = call;
        if shape == Shape::AllPositional {
            // Every parameter by position, as the caller checked against these parameters:
            // `N` of them unless a handler passes another `N` than its signature's (a bug).
            return match <&[_; N]>::try_from(args) {
                Ok(args) => Ok(Arguments {
                    slots: std::array::from_fn(|index| Some(&args[index])),
                    var_args: &[],
                    var_kwargs: None,
                }),
                Err(_) => self.wrong_parameter_count::<N>(),
            };
        }
        if shape == Shape::Unchecked && kwnames.is_none() && nargs == N && self.positional == N {
            // Every parameter by position: a constant-size copy, no loop, no check left.
            return Ok(Arguments {
                slots: std::array::from_fn(|index| args.get(index)),
                var_args: &[],
                var_kwargs: None,
            });
        }
        if let (Some(kwnames), true) = (kwnames, self.slots_only) {
            if let Some(slots) = self.match_keywords::<N>(args, nargs, kwnames) {
                return Ok(Arguments {
                    slots,
                    var_args: &[],
                    var_kwargs: None,
                });
            }
        }
        let mut arguments = Arguments {
            slots: [None; N],
            var_args: &[],
            var_kwargs: None,
        };
        let filled = nargs.min(self.positional);
        for (slot, arg) in arguments.slots.iter_mut().zip(&args[..filled]) {
            *slot = Some(arg);
        }
        self.parse_slow(py, call, &mut arguments.slots, &mut arguments.var_kwargs)?;
        if self.signature.var_args.is_some() && nargs > self.positional {
            arguments.var_args = &args[self.positional..nargs];
        }
        Ok(arguments)
    }

    /// The common keyword call, inlined: positional arguments that fit, keywords found by
    /// pointer, each once, every required parameter filled. `None` sends anything else to
    /// [`Parameters::parse_slow`], which starts over and words the error.
    #[inline(always)]
    fn match_keywords<'a, 'py, const N: usize>(
        &self,
        args: &'a [Borrowed<'a, 'py, PyAny, B>],
        nargs: usize,
        kwnames: Borrowed<'a, 'py, PyTuple, B>,
    ) -> Option<[Option<&'a Borrowed<'a, 'py, PyAny, B>>; N]> {
        // Loops over the `N` parameters (unrolled), not over slices of runtime length.
        let names: &[Py<PyStr, B>; N] = self.interned.as_slice().try_into().ok()?;
        if nargs > self.positional {
            return None;
        }
        let mut slots = [None; N];
        for (index, slot) in slots.iter_mut().enumerate() {
            if index < nargs {
                *slot = Some(args.get(index)?);
            }
        }
        for (index, value) in args.get(nargs..)?.iter().enumerate() {
            // SAFETY: `kwnames` is a tuple with one name per keyword value (the vectorcall
            // contract), alive for the call.
            let keyword = unsafe { B::tuple_get_item(kwnames.as_ptr(), index) };
            let found = names.iter().position(|name| name.as_ptr() == keyword)?;
            if found < self.positional_only {
                return None;
            }
            let slot = &mut slots[found];
            if slot.is_some() {
                return None;
            }
            *slot = Some(value);
        }
        let missing = (0..N).any(|index| slots[index].is_none() && self.required >> index & 1 != 0);
        (!missing).then_some(slots)
    }

    /// Keywords, then the count and presence checks, in CPython's order (keywords first).
    #[cold]
    #[inline(never)]
    fn parse_slow<'a, 'py>(
        &self,
        py: Python<'py, B>,
        call: CallArgs<'a, 'py, B>,
        slots: &mut [Option<&'a Borrowed<'a, 'py, PyAny, B>>],
        var_kwargs: &mut Option<Bound<'py, PyDict, B>>,
    ) -> PyResult<(), B> {
        let signature = &self.signature;
        if let Some(kwnames) = call.kwnames {
            let names: &Bound<'py, PyTuple, B> = &kwnames;
            for (index, value) in call.args[call.nargs..].iter().enumerate() {
                // SAFETY: `kwnames` is a tuple with one name per keyword value (the vectorcall
                // contract), alive for the call.
                let keyword = unsafe {
                    Borrowed::<PyAny, B>::from_ptr(py, B::tuple_get_item(kwnames.as_ptr(), index))
                };
                match self.find_keyword(keyword)? {
                    Some(slot) if slots[slot].is_some() => {
                        return Err(argument_errors::multiple_values(
                            signature,
                            &signature.params[slot].name,
                        ));
                    }
                    Some(slot) => slots[slot] = Some(value),
                    None if signature.var_kwargs.is_some() => {
                        let dict = match var_kwargs {
                            Some(dict) => dict,
                            None => var_kwargs.insert(PyDict::new(py)?),
                        };
                        dict.set_item(keyword, *value)?;
                    }
                    None => {
                        let passed = names.iter().map(|name| name.to_string());
                        return Err(argument_errors::unexpected_keyword(
                            signature,
                            &keyword.to_string(),
                            passed,
                        ));
                    }
                }
            }
        }
        let too_many = call.nargs > self.positional && signature.var_args.is_none();
        if !too_many && slots.iter().all(Option::is_some) {
            return Ok(());
        }
        if too_many {
            let keyword_only_given = slots[self.positional..]
                .iter()
                .filter(|slot| slot.is_some())
                .count();
            return Err(argument_errors::too_many_positional(
                signature,
                call.nargs,
                keyword_only_given,
            ));
        }
        let missing = |keyword_only: bool| {
            signature
                .params
                .iter()
                .zip(slots.iter())
                .any(|(param, slot)| {
                    slot.is_none()
                        && param.default.is_none()
                        && (param.kind == ParamKind::KeywordOnly) == keyword_only
                })
        };
        if call.nargs < self.required_positional && missing(false) {
            return Err(argument_errors::missing(signature, slots, false));
        }
        if missing(true) {
            return Err(argument_errors::missing(signature, slots, true));
        }
        Ok(())
    }

    /// The slot of the parameter a keyword names (positional-only ones excluded): by pointer
    /// first, then by text.
    fn find_keyword(&self, keyword: Borrowed<'_, '_, PyAny, B>) -> PyResult<Option<usize>, B> {
        let candidates = self.positional_only..self.interned.len();
        let by_pointer = self.interned[candidates.clone()]
            .iter()
            .position(|name| name.as_ptr() == keyword.as_ptr());
        if let Some(offset) = by_pointer {
            return Ok(Some(self.positional_only + offset));
        }
        let text = keyword.downcast::<PyStr>()?.to_str()?;
        Ok(candidates
            .into_iter()
            .find(|&slot| self.signature.params[slot].name == text))
    }

    /// A handler parsed its arguments with another parameter count than its signature has: a
    /// bug in the handler, a panic (the call raises it as a `RuntimeError`). Diverging, it
    /// leaves the all-positional path nothing to merge with: a returned error was taken for a
    /// possible success, and brought back the checks of empty slots and `**kwargs`.
    #[cold]
    #[inline(never)]
    fn wrong_parameter_count<const N: usize>(&self) -> ! {
        panic!(
            "{}(): the handler parses {N} parameters, its signature has {}",
            self.signature.name(),
            self.signature.params.len()
        )
    }

    /// Rewrites the conversion error of parameter `index` to name the function and it.
    #[cold]
    pub fn argument_error(
        &self,
        py: Python<'_, B>,
        index: usize,
        err: crate::PyErr<B>,
    ) -> crate::PyErr<B> {
        let name = self
            .signature
            .params
            .get(index)
            .map_or("", |param| &*param.name);
        argument_errors::argument_error(py, &self.signature, name, index, err)
    }

    /// Rewrites the conversion error of parameter `name` to name the function and it.
    #[cold]
    pub fn named_argument_error(
        &self,
        py: Python<'_, B>,
        name: &str,
        err: crate::PyErr<B>,
    ) -> crate::PyErr<B> {
        let index = self
            .signature
            .params
            .iter()
            .position(|param| param.name == name);
        argument_errors::argument_error(py, &self.signature, name, index.unwrap_or(0), err)
    }

    /// Rewrites the conversion error of an item of `*args` to name the function and `*args`.
    #[cold]
    pub fn var_args_error(&self, py: Python<'_, B>, err: crate::PyErr<B>) -> crate::PyErr<B> {
        let name = self.signature.var_args.as_deref().unwrap_or("");
        argument_errors::argument_error(py, &self.signature, name, self.positional, err)
    }
}

//! The module's own exception classes: `DemoError`, the base of every error the module raises
//! on purpose, and `VersionError`, raised by `parse_version` for a malformed version string.

use anypy::exceptions::Exception;
use anypy::{create_exception, Backend, ModuleBuilder, PyResult};

create_exception!(
    anypy_demo,
    DemoError,
    Exception,
    "Base class of the errors anypy_demo raises."
);
create_exception!(
    anypy_demo,
    VersionError,
    DemoError,
    "A version string is not three dot-separated numbers."
);

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.exception::<DemoError>()?.exception::<VersionError>()?;
    m.add_function(parse_version::function())?;
    Ok(())
}

anypy::function! {
    /// Read 'major.minor.patch' into three ints (VersionError if it is not that).
    fn parse_version<B>(text: &str) -> PyResult<(u32, u32, u32), B> {
        let parts: Vec<&str> = text.split('.').collect();
        let number = |part: &str| part.parse::<u32>().ok();
        match parts.as_slice() {
            [major, minor, patch] => match (number(major), number(minor), number(patch)) {
                (Some(major), Some(minor), Some(patch)) => Ok((major, minor, patch)),
                _ => Err(VersionError::new_err(format!(
                    "'{text}': each part must be a number"
                ))),
            },
            _ => Err(VersionError::new_err(format!(
                "'{text}': expected three parts, got {}",
                parts.len()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use anypy::exceptions::Exception;

    use super::{DemoError, VersionError};
    use crate::testing::{call, call_as, with_demo};

    #[test]
    fn parse_version_reads_three_numbers() {
        with_demo(|_py, module| {
            let version: (u32, u32, u32) = call_as(module, "parse_version", ("1.22.3",));
            assert_eq!(version, (1, 22, 3));
        });
    }

    #[test]
    fn a_malformed_version_raises_version_error() {
        with_demo(|py, module| {
            let err = call(module, "parse_version", ("1.x.3",)).unwrap_err();
            assert!(err.is_instance_of::<VersionError>(py));
            assert!(err.is_instance_of::<DemoError>(py));
            assert!(err.is_instance_of::<Exception>(py));
            assert_eq!(
                err.to_string(),
                "VersionError: '1.x.3': each part must be a number"
            );
            let err = call(module, "parse_version", ("1.2",)).unwrap_err();
            assert_eq!(err.message(py), "'1.2': expected three parts, got 2");
        });
    }

    #[test]
    fn the_classes_are_in_the_module() {
        with_demo(|py, module| {
            let class = module.getattr("VersionError").unwrap();
            assert!(class.is(&VersionError::type_object(py).unwrap()));
            let module_name: String = class.getattr("__module__").unwrap().extract().unwrap();
            assert_eq!(module_name, "anypy_demo");
            assert!(module
                .getattr("DemoError")
                .unwrap()
                .is(&DemoError::type_object(py).unwrap()));
        });
    }
}

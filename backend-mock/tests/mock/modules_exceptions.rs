//! Modules through `sys.modules`, and the error indicator: fetch, restore, match.

use anypy::{Backend, BuiltinType, ExceptionKind};
use anypy_mock::Mock;

use crate::support::*;

#[test]
fn modules_register_through_sys_modules() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let module = Mock::module_new("mymod").unwrap();
            assert!(
                Mock::import("mymod").is_none(),
                "module_new registers nothing"
            );
            assert_eq!(
                error(),
                ("ImportError".into(), "No module named 'mymod'".into())
            );
            assert_eq!(repr_taken(getattr(module, "__name__")), "'mymod'");
            let (name, value) = (s("answer"), int(42));
            assert_eq!(Mock::setattr(module, name, value), 0);
            assert!(getattr(module, "missing").is_none());
            assert_eq!(
                error(),
                (
                    "AttributeError".into(),
                    "module 'mymod' has no attribute 'missing'".into()
                )
            );
            let sys = Mock::import("sys").unwrap();
            let modules = getattr(sys, "modules").unwrap();
            let key = s("mymod");
            assert_eq!(Mock::set_item(modules, key, module), 0);
            let imported = Mock::import("mymod").unwrap();
            assert_eq!(imported, module);
            assert_eq!(repr_taken(getattr(imported, "answer")), "42");
            decref(imported);
            assert_eq!(Mock::dict_del_item(modules, key), 0);
            let builtins = Mock::import("builtins").unwrap();
            let len = getattr(builtins, "len").unwrap();
            assert_eq!(repr(len), "<built-in function len>");
            [module, name, value, sys, modules, key, builtins, len]
                .into_iter()
                .for_each(decref);
        }
    });
}

#[test]
fn exceptions_fetch_restore_and_match() {
    scoped(|| {
        // SAFETY: see the note in `main.rs`.
        unsafe {
            let type_error = exception_type(ExceptionKind::TypeError);
            assert!(!Mock::err_occurred());
            Mock::err_set_str(type_error, "boom");
            assert!(Mock::err_occurred());
            let (ty, value, traceback) = Mock::err_fetch().unwrap();
            assert!(!Mock::err_occurred());
            assert_eq!(ty, type_error);
            assert!(traceback.is_none());
            assert_eq!(repr(value), "TypeError('boom')");
            assert!(Mock::type_check(value, BuiltinType::BaseException));
            assert_eq!(repr_taken(getattr(value, "args")), "('boom',)");
            assert!(Mock::exception_matches(
                value,
                exception_type(ExceptionKind::Exception)
            ));
            assert!(Mock::exception_matches(
                ty,
                exception_type(ExceptionKind::TypeError)
            ));
            assert!(!Mock::exception_matches(
                ty,
                exception_type(ExceptionKind::LookupError)
            ));
            assert_eq!(
                Mock::is_instance(value, exception_type(ExceptionKind::BaseException)),
                1
            );
            Mock::err_restore(ty, value, None);
            assert!(Mock::err_occurred());
            assert_eq!(error(), ("TypeError".into(), "boom".into()));

            let key = s("k");
            Mock::err_set_object(exception_type(ExceptionKind::KeyError), key);
            decref(key);
            let (ty, value, _) = Mock::err_fetch().unwrap();
            assert_eq!(
                repr(value),
                "KeyError('k')",
                "normalized by calling the class"
            );
            assert!(Mock::exception_matches(
                ty,
                exception_type(ExceptionKind::LookupError)
            ));
            let classes = tuple(&[
                new_ref(exception_type(ExceptionKind::ValueError)),
                new_ref(exception_type(ExceptionKind::LookupError)),
            ]);
            assert!(Mock::exception_matches(value, classes));
            decref(classes);
            decref(ty);
            decref(value);

            let overflow = exception_type(ExceptionKind::OverflowError);
            assert!(Mock::exception_matches(
                overflow,
                exception_type(ExceptionKind::ArithmeticError)
            ));
            let message = s("unnormalized");
            Mock::incref(overflow);
            Mock::err_restore(overflow, message, None);
            assert_eq!(error(), ("OverflowError".into(), "unnormalized".into()));
            let (name, _) = (getattr(overflow, "__name__"), ());
            assert_eq!(repr_taken(name), "'OverflowError'");
            let message = panic_message(|| Mock::err_set_str(Mock::none(), "x"));
            assert!(message.starts_with("misuse"), "{message}");
        }
    });
}

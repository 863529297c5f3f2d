//! Properties of Rust classes: getters read the value, setters change it (checked: a value of
//! the wrong type is a `TypeError` naming the property, a setter's own error is raised), and a
//! read-only property cannot be set. Class attributes and static methods.

use anypy::exceptions::ValueError;
use anypy::types::PyDict;
use anypy::{Backend, Bound, ClassBuilder, ExceptionKind, PyClass, PyErr, PyResult, Python};

use crate::support::{assert_raises, with_py};

/// An account with a fixed owner and a balance that cannot go negative.
struct Account {
    owner: String,
    balance: i64,
}

fn set_balance<B: Backend>(this: &mut Account, balance: i64) -> PyResult<(), B> {
    if balance < 0 {
        return Err(PyErr::new::<ValueError, _>("balance cannot be negative"));
    }
    this.balance = balance;
    Ok(())
}

anypy::function! {
    /// Converts an amount to another currency.
    fn convert(amount: f64, *, rate: f64 = 1.1) -> f64 {
        amount * rate
    }
}

impl<B: Backend> PyClass<B> for Account {
    const NAME: &'static str = "Account";

    fn define(class: &mut ClassBuilder<'_, Self, B>) -> PyResult<(), B> {
        class
            .constant("CURRENCY", "EUR")?
            .static_method("cents", |euros: i64| euros * 100)?
            .static_function(convert::function())?
            .getter("owner", |this: &Account| this.owner.clone())?
            .property("balance", |this: &Account| this.balance, set_balance::<B>)?
            .property(
                "nickname",
                |this: &Account| this.owner.to_lowercase(),
                |this: &mut Account, nickname: String| this.owner = nickname,
            )?;
        Ok(())
    }
}

fn account<B: Backend>(py: Python<'_, B>) -> PyResult<Bound<'_, Account, B>, B> {
    Bound::new(
        py,
        Account {
            owner: "Ada".into(),
            balance: 10,
        },
    )
}

/// Getters read the value; setters change it.
pub fn class_properties_get_and_set<B: Backend>() {
    with_py::<B>(|py| {
        let account = account(py)?;
        let object = account.as_any();
        assert_eq!(object.getattr("owner")?.extract::<String>()?, "Ada");
        assert_eq!(object.getattr("balance")?.extract::<i64>()?, 10);
        object.setattr("balance", 25)?;
        assert_eq!(account.borrow().balance, 25);
        object.setattr("nickname", "Bob")?;
        assert_eq!(object.getattr("owner")?.extract::<String>()?, "Bob");
        assert_eq!(object.getattr("nickname")?.extract::<String>()?, "bob");
        Ok(())
    })
}

/// A wrong type names the property; the setter's own error is raised; a read-only property
/// cannot be set; nothing changes on error.
pub fn class_property_errors<B: Backend>() {
    with_py::<B>(|py| {
        let account = account(py)?;
        let object = account.as_any();
        assert_raises(
            py,
            object.setattr("balance", "lots"),
            ExceptionKind::TypeError,
            "Account.balance: expected int, got str",
        );
        assert_raises(
            py,
            object.setattr("balance", -5),
            ExceptionKind::ValueError,
            "balance cannot be negative",
        );
        assert_raises(
            py,
            object.setattr("owner", "Eve"),
            ExceptionKind::AttributeError,
            "owner",
        );
        assert_eq!(account.borrow().balance, 10);
        assert_eq!(account.borrow().owner, "Ada");
        let _reading = account.borrow();
        assert_raises(
            py,
            object.setattr("balance", 1),
            ExceptionKind::RuntimeError,
            "Already borrowed",
        );
        Ok(())
    })
}

/// Class attributes and static methods are read from the class and from instances.
pub fn class_attributes_and_static_methods<B: Backend>() {
    with_py::<B>(|py| {
        let class = <Account as PyClass<B>>::type_object(py)?;
        let account = account(py)?;
        let object = account.as_any();
        assert_eq!(class.getattr("CURRENCY")?.extract::<String>()?, "EUR");
        assert_eq!(object.getattr("CURRENCY")?.extract::<String>()?, "EUR");
        assert_eq!(class.getattr("cents")?.call1((2,))?.extract::<i64>()?, 200);
        assert_eq!(object.call_method1("cents", (3,))?.extract::<i64>()?, 300);
        assert_raises(
            py,
            object.call_method1("cents", ("x",)),
            ExceptionKind::TypeError,
            "Account.cents() argument 1: expected int, got str",
        );
        let convert = class.getattr("convert")?;
        assert_eq!(convert.call1((10.0,))?.extract::<f64>()?, 11.0);
        let kwargs = PyDict::new::<B>(py)?;
        kwargs.set_item("rate", 2.0)?;
        assert_eq!(
            object
                .getattr("convert")?
                .call((10.0,), Some(&kwargs))?
                .extract::<f64>()?,
            20.0
        );
        assert_raises(
            py,
            convert.call1((10.0, 2.0)),
            ExceptionKind::TypeError,
            "convert() takes 1 positional argument but 2 were given",
        );
        Ok(())
    })
}

#[doc(hidden)]
#[macro_export]
macro_rules! __suite_classes_properties {
    ($backend:ty, $harness:expr) => {
        $crate::__conformance_emit!($backend, $harness;
            classes_properties::class_properties_get_and_set,
            classes_properties::class_property_errors,
            classes_properties::class_attributes_and_static_methods,
        );
    };
}

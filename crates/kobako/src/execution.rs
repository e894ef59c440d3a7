//! The record of a successful invocation: its value and its output.

use crate::error::Error;
use crate::output::Output;
use crate::value::Value;
use crate::value_serde::from_value;

/// The record of a successful invocation: the script's value and its output.
///
/// ```
/// let sandbox = kobako::Sandbox::builder().build()?;
/// let run = sandbox.eval("puts 'hi'; 6 * 7")?;
/// assert_eq!(run.value(), &kobako::Value::Int(42));
/// assert_eq!(run.output().stdout(), b"hi\n");
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub(crate) value: Value,
    pub(crate) output: Output,
}

impl Execution {
    /// The value of the script's last expression.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The value converted into a Rust type through serde: Symbols read as
    /// strings, and Hashes as maps or structs keyed by Strings or Symbols.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Totals { count: i64, names: Vec<String> }
    ///
    /// let sandbox = kobako::Sandbox::new()?;
    /// let run = sandbox.eval("{count: 2, names: [:a, 'b']}")?;
    /// let totals: Totals = run.value_as()?;
    /// assert_eq!((totals.count, totals.names), (2, vec!["a".into(), "b".into()]));
    /// # Ok::<(), kobako::Error>(())
    /// ```
    pub fn value_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        from_value(self.value.clone())
            .map_err(|e| Error::misuse(format!("the value {} does not convert: {e}", self.value)))
    }

    /// Takes the value out of the record.
    pub fn into_value(self) -> Value {
        self.value
    }

    /// The captured output and usage.
    pub fn output(&self) -> &Output {
        &self.output
    }
}

//! Closures as services: arguments and results convert through serde, so
//! `|a: i64, b: i64| a + b` can be bound as a service.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::value::Value;
use crate::value::{Call, Fault, Service};
use crate::value_serde::{from_value, to_value};

/// A function that can serve guest calls: a closure of up to six arguments
/// that deserialize from wire values, returning something serializable or a
/// `Result<_, Fault>`. `Returns` only tells the two kinds apart.
pub trait ServiceFn<Args, Returns>: Send + Sync + 'static {
    #[doc(hidden)]
    fn invoke(&self, args: Vec<Value>) -> Result<Value, Fault>;
}

/// Marks a [`ServiceFn`] that returns a plain serializable value.
pub enum Plain {}

/// Marks a [`ServiceFn`] that returns `Result<_, Fault>`.
pub enum Fallible {}

fn reply<T: Serialize>(value: &T) -> Result<Value, Fault> {
    to_value(value).map_err(|e| Fault::runtime(format!("the result cannot cross: {e}")))
}

macro_rules! impl_service_fn {
    ($count:literal; $($arg:ident),*) => {
        impl_service_fn!(@one $count; Plain; R; |result: R| reply(&result); $($arg),*);
        impl_service_fn!(@one $count; Fallible; Result<R, Fault>; |result: Result<R, Fault>| result.and_then(|value| reply(&value)); $($arg),*);
    };
    (@one $count:literal; $marker:ty; $returns:ty; $finish:expr; $($arg:ident),*) => {
        impl<F, R, $($arg,)*> ServiceFn<($($arg,)*), $marker> for F
        where
            F: Fn($($arg),*) -> $returns + Send + Sync + 'static,
            R: Serialize,
            $($arg: DeserializeOwned,)*
        {
            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn invoke(&self, args: Vec<Value>) -> Result<Value, Fault> {
                if args.len() != $count {
                    return Err(Fault::argument(format!(
                        "wrong number of arguments (given {}, expected {})", args.len(), $count
                    )));
                }
                let mut args = args.into_iter().enumerate();
                $(
                    let (index, value) = args.next().expect("length checked");
                    let $arg: $arg = from_value(value)
                        .map_err(|e| Fault::argument(format!("argument {}: {e}", index + 1)))?;
                )*
                let finish = $finish;
                finish((self)($($arg),*))
            }
        }
    };
}

impl_service_fn!(0;);
impl_service_fn!(1; A1);
impl_service_fn!(2; A1, A2);
impl_service_fn!(3; A1, A2, A3);
impl_service_fn!(4; A1, A2, A3, A4);
impl_service_fn!(5; A1, A2, A3, A4, A5);
impl_service_fn!(6; A1, A2, A3, A4, A5, A6);

/// A [`ServiceFn`] as a [`Service`] answering the method `call`.
pub(crate) struct FunctionService<Args, Returns, F> {
    function: F,
    signature: PhantomData<fn() -> (Args, Returns)>,
}

impl<Args: 'static, Returns: 'static, F: ServiceFn<Args, Returns>> FunctionService<Args, Returns, F> {
    /// `function` as a shared [`Service`] the registry can hold.
    pub(crate) fn shared(function: F) -> Arc<dyn Service> {
        Arc::new(FunctionService {
            function,
            signature: PhantomData,
        })
    }
}

impl<Args: 'static, Returns: 'static, F: ServiceFn<Args, Returns>> Service
    for FunctionService<Args, Returns, F>
{
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        if !call.kwargs().is_empty() {
            return Err(Fault::argument("this function takes no keyword arguments"));
        }
        self.function.invoke(call.take_args())
    }

    fn allows(&self, method: &str) -> bool {
        method == "call"
    }
}

//! Converting between Ruby objects and the values that cross the sandbox
//! boundary, with the refusals each crossing position needs.

use kobako::{HostObject, Value as Wire};
use magnus::prelude::*;
use magnus::r_hash::ForEach;
use magnus::rb_sys::AsRawValue;
use magnus::value::ReprValue;
use magnus::{
    Error, ExceptionClass, Float, Integer, RArray, RClass, RHash, RModule, RString, Ruby, Symbol, Value,
};

use crate::invocation_context::InvocationContext;
use crate::ruby_constants;
use crate::ruby_service::RubyObject;

/// The deepest nesting of Arrays and Hashes that may cross.
const MAX_DEPTH: usize = 128;

/// What happens to a Ruby object that is not a wire value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Objects {
    /// It becomes a Capability Handle (`#run` arguments).
    Wrap,
    /// It is refused (yield arguments, and the first try of a service
    /// result).
    Refuse,
}

/// Why a Ruby value cannot cross.
pub(crate) enum Unsendable {
    /// An object that is not a wire value, by class name.
    Object(String),
    /// A `Binding`, `Method` or `UnboundMethod`, which never crosses.
    Gadget(String),
    /// A host-side `Kobako::Handle`.
    HandleGiven,
    /// A Hash key that is not a wire value.
    ObjectKey(String),
    /// An Integer outside the 64-bit signed range.
    OutOfRange,
    /// Nested deeper than 128 levels, or cyclic.
    TooDeep,
    /// A Symbol whose name is not valid UTF-8.
    BadSymbol,
}

impl Unsendable {
    /// Describes the problem for an error message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Unsendable::Object(class) => {
                format!("{class} is not a supported sandbox value type (it cannot cross as a wire value)")
            }
            Unsendable::Gadget(class) => format!("a {class} never crosses the sandbox boundary"),
            Unsendable::HandleGiven => "a Kobako::Handle cannot be passed by host code".into(),
            Unsendable::ObjectKey(class) => format!("a Hash key must be a wire value (got a {class})"),
            Unsendable::OutOfRange => {
                "Integer is outside the 64-bit range (-9223372036854775808..9223372036854775807)".into()
            }
            Unsendable::TooDeep => "value is nested deeper than 128 levels (or is cyclic)".into(),
            Unsendable::BadSymbol => "a Symbol name must be valid UTF-8".into(),
        }
    }

    /// The Ruby exception for this problem where the host passed the value:
    /// `RangeError` for an Integer, `TypeError` for an object when
    /// `objects_are_type_errors`, `ArgumentError` otherwise.
    pub(crate) fn to_ruby_error(&self, ruby: &Ruby, position: &str, objects_are_type_errors: bool) -> Error {
        let class: ExceptionClass = match self {
            Unsendable::OutOfRange => ruby.exception_range_error(),
            Unsendable::Object(_) if objects_are_type_errors => ruby.exception_type_error(),
            _ => ruby.exception_arg_error(),
        };
        Error::new(class, format!("{position}: {}", self.describe()))
    }
}

/// Converts Ruby values to wire values, pinning wrapped objects in the
/// invocation's context so the GC keeps them while the guest holds them.
#[derive(Clone, Copy)]
pub(crate) struct ToWire<'a> {
    ruby: &'a Ruby,
    objects: Objects,
    context: &'a InvocationContext,
    handle_class: RClass,
}

impl<'a> ToWire<'a> {
    pub(crate) fn new(ruby: &'a Ruby, objects: Objects, context: &'a InvocationContext) -> Self {
        ToWire {
            ruby,
            objects,
            context,
            handle_class: ruby.get_inner(ruby_constants::get().handle),
        }
    }

    /// Converts one value.
    pub(crate) fn convert(&self, value: Value) -> Result<Wire, Unsendable> {
        self.value(value, 0)
    }

    /// Converts every element of an Array.
    pub(crate) fn convert_all(&self, values: RArray) -> Result<Vec<Wire>, Unsendable> {
        values.into_iter().map(|v| self.value(v, 0)).collect()
    }

    fn value(&self, value: Value, depth: usize) -> Result<Wire, Unsendable> {
        let ruby = self.ruby;
        if value.is_nil() {
            return Ok(Wire::Nil);
        }
        if value.as_raw() == ruby.qtrue().as_raw() {
            return Ok(Wire::Bool(true));
        }
        if value.as_raw() == ruby.qfalse().as_raw() {
            return Ok(Wire::Bool(false));
        }
        if let Some(int) = Integer::from_value(value) {
            return int.to_i64().map(Wire::Int).map_err(|_| Unsendable::OutOfRange);
        }
        if let Some(float) = Float::from_value(value) {
            return Ok(Wire::Float(float.to_f64()));
        }
        if let Some(string) = RString::from_value(value) {
            return Ok(string_to_wire(string));
        }
        if let Some(symbol) = Symbol::from_value(value) {
            let name: RString = symbol.funcall("name", ()).map_err(|_| Unsendable::BadSymbol)?;
            return match string_to_wire(name) {
                Wire::Str(name) => Ok(Wire::Sym(name)),
                _ => Err(Unsendable::BadSymbol),
            };
        }
        if let Some(array) = RArray::from_value(value) {
            self.enter(depth)?;
            return array
                .into_iter()
                .map(|item| self.value(item, depth + 1))
                .collect::<Result<_, _>>()
                .map(Wire::Array);
        }
        if let Some(hash) = RHash::from_value(value) {
            self.enter(depth)?;
            let pairs = hash_pairs(hash).map_err(|_| Unsendable::TooDeep)?;
            let mut out = Vec::with_capacity(pairs.len());
            for (key, item) in pairs {
                let keys = ToWire {
                    objects: Objects::Refuse,
                    ..*self
                };
                let key = match keys.value(key, depth + 1) {
                    Err(Unsendable::Object(class)) => return Err(Unsendable::ObjectKey(class)),
                    other => other?,
                };
                out.push((key, self.value(item, depth + 1)?));
            }
            return Ok(Wire::Map(out));
        }
        self.object(value)
    }

    fn enter(&self, depth: usize) -> Result<(), Unsendable> {
        if depth >= MAX_DEPTH {
            return Err(Unsendable::TooDeep);
        }
        Ok(())
    }

    /// A value that is not a wire value: a Handle, or refused.
    fn object(&self, value: Value) -> Result<Wire, Unsendable> {
        let class = class_name(value);
        if is_gadget(self.ruby, value) {
            return Err(Unsendable::Gadget(class));
        }
        if value.is_kind_of(self.handle_class) {
            return Err(Unsendable::HandleGiven);
        }
        match self.objects {
            Objects::Refuse => Err(Unsendable::Object(class)),
            Objects::Wrap => Ok(self.wrap(value)),
        }
    }

    /// Wraps any Ruby value as a host object, pinned for the invocation.
    pub(crate) fn wrap(&self, value: Value) -> Wire {
        self.context.pin(value);
        Wire::Object(HostObject::new(RubyObject::new(value)))
    }
}

/// A Hash's key/value pairs in order (the Hash keeps them alive).
pub(crate) fn hash_pairs(hash: RHash) -> Result<Vec<(Value, Value)>, Error> {
    let mut pairs = Vec::with_capacity(hash.len());
    hash.foreach(|key: Value, value: Value| {
        pairs.push((key, value));
        Ok(ForEach::Continue)
    })?;
    Ok(pairs)
}

/// A String as `Str` when it is tagged UTF-8 (or US-ASCII) and its bytes
/// are valid UTF-8, else as `Bin` with the same bytes.
fn string_to_wire(string: RString) -> Wire {
    // SAFETY: the bytes are copied at once, before any Ruby code could
    // change or free the string.
    let bytes = unsafe { string.as_slice() }.to_vec();
    if string.is_utf8_compatible_encoding() {
        match String::from_utf8(bytes) {
            Ok(text) => Wire::Str(text),
            Err(e) => Wire::Bin(e.into_bytes()),
        }
    } else {
        Wire::Bin(bytes)
    }
}

/// True for the objects that never cross: `Binding`, `Method`,
/// `UnboundMethod` and their subclasses.
pub(crate) fn is_gadget(ruby: &Ruby, value: Value) -> bool {
    [
        ruby.class_binding(),
        ruby.class_method(),
        ruby.class_unbound_method(),
    ]
    .into_iter()
    .any(|class| value.is_kind_of(class))
}

/// The name of a value's class, for messages.
fn class_name(value: Value) -> String {
    // SAFETY: `classname` reads the class of a live object we hold.
    unsafe { value.classname() }.into_owned()
}

/// A constant under `Kobako`, if it is defined.
pub(crate) fn kobako_constant<T: magnus::TryConvert>(ruby: &Ruby, name: &str) -> Option<T> {
    let kobako: RModule = ruby.class_object().const_get("Kobako").ok()?;
    kobako.const_get(name).ok()
}

/// Converts a wire value to Ruby; host objects become their Ruby objects
/// again.
pub(crate) fn to_ruby(ruby: &Ruby, value: &Wire) -> Value {
    match value {
        Wire::Nil => ruby.qnil().as_value(),
        Wire::Bool(b) => {
            if *b {
                ruby.qtrue().as_value()
            } else {
                ruby.qfalse().as_value()
            }
        }
        Wire::Int(n) => ruby.integer_from_i64(*n).as_value(),
        Wire::Float(x) => ruby.float_from_f64(*x).as_value(),
        Wire::Str(text) => ruby.str_new(text).as_value(),
        Wire::Bin(bytes) => ruby.str_from_slice(bytes).as_value(),
        Wire::Sym(name) => ruby.to_symbol(name).as_value(),
        Wire::Array(items) => {
            let array = ruby.ary_new_capa(items.len());
            for item in items {
                // Pushing onto a fresh Array fails only when out of memory.
                let _ = array.push(to_ruby(ruby, item));
            }
            array.as_value()
        }
        Wire::Map(pairs) => {
            let hash = ruby.hash_new();
            for (key, item) in pairs {
                let _ = hash.aset(to_ruby(ruby, key), to_ruby(ruby, item));
            }
            hash.as_value()
        }
        Wire::Object(object) => match object.downcast_ref::<RubyObject>() {
            Some(object) => object.get(ruby),
            None => ruby.qnil().as_value(),
        },
        _ => ruby.qnil().as_value(),
    }
}

/// Output bytes as a String: tagged UTF-8 when they are valid UTF-8, else
/// ASCII-8BIT.
pub(crate) fn bytes_to_ruby(ruby: &Ruby, bytes: &[u8]) -> RString {
    match std::str::from_utf8(bytes) {
        Ok(text) => ruby.str_new(text),
        Err(_) => ruby.str_from_slice(bytes),
    }
}

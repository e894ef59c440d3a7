//! Turning a kobako error into the matching `Kobako::*Error` exception,
//! with its guest fields and the failed invocation's output attached.

use kobako::{Error as KobakoError, ErrorKind, GuestFailure, Output};
use magnus::prelude::*;
use magnus::value::ReprValue;
use magnus::{Error, ExceptionClass, RArray, Ruby, Value};

use crate::value_conversion::{bytes_to_ruby, kobako_constant, to_ruby};

/// The Ruby exception for `error`: a `Kobako::*Error` for invocation and
/// setup failures, `ArgumentError` for host misuse.
pub(crate) fn to_ruby_error(ruby: &Ruby, error: KobakoError) -> Error {
    if error.kind() == ErrorKind::Usage {
        return Error::new(ruby.exception_arg_error(), error.to_string());
    }
    let class = error.ruby_class().strip_prefix("Kobako::");
    let Some(class) = class.and_then(|name| kobako_constant::<ExceptionClass>(ruby, name)) else {
        return Error::new(ruby.exception_runtime_error(), error.to_string());
    };
    let failure = error.guest_failure();
    let message = failure.map_or_else(|| error.to_string(), |f| f.message().to_owned());
    match build(ruby, class, &message, failure, error.output()) {
        Ok(exception) => exception,
        Err(e) => e,
    }
}

/// Creates the exception and sets the reader ivars.
fn build(
    ruby: &Ruby,
    class: ExceptionClass,
    message: &str,
    failure: Option<&GuestFailure>,
    output: Option<&Output>,
) -> Result<Error, Error> {
    let exception: magnus::Exception = class.new_instance((message,))?;
    let set = |name: &str, value: Value| -> Result<(), Error> {
        exception.funcall::<_, _, Value>("instance_variable_set", (name, value))?;
        Ok(())
    };
    if let Some(failure) = failure {
        let nil = ruby.qnil().as_value();
        set(
            "@origin",
            failure
                .origin()
                .map_or(nil, |o| ruby.str_new(o.as_str()).as_value()),
        )?;
        set(
            "@klass",
            failure.klass().map_or(nil, |k| ruby.str_new(k).as_value()),
        )?;
        let lines = failure.backtrace().map_or(nil, |lines| {
            ruby.ary_from_iter(lines.iter().map(|line| ruby.str_new(line)))
                .as_value()
        });
        set("@backtrace_lines", lines)?;
        set("@details", failure.details().map_or(nil, |d| to_ruby(ruby, d)))?;
    }
    if let Some(output) = output {
        set("@output", output_to_ruby(ruby, output)?.as_value())?;
    }
    Ok(Error::from(exception))
}

/// `[stdout, stderr, stdout_truncated, stderr_truncated, wall_time,
/// memory_peak]`, the record `Kobako::Sandbox` keeps for its readers.
pub(crate) fn output_to_ruby(ruby: &Ruby, output: &Output) -> Result<RArray, Error> {
    let usage = output.usage();
    let record = ruby.ary_new_capa(6);
    record.push(bytes_to_ruby(ruby, output.stdout()))?;
    record.push(bytes_to_ruby(ruby, output.stderr()))?;
    record.push(output.stdout_truncated())?;
    record.push(output.stderr_truncated())?;
    record.push(usage.wall_time.as_secs_f64())?;
    record.push(usage.memory_peak)?;
    Ok(record)
}

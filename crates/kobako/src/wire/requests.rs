//! The requests the host hands to the guest's exports (docs/wire.md): an
//! invocation `[service paths, kind, snippets, payload]` for `kobako_eval`,
//! and `[name, source]` for `kobako_compile`.

use super::encode::{EncodeError, HandleIssuer, Writer};
use crate::value::Value;

const REQUEST_EVAL: i64 = 0;
const REQUEST_RUN: i64 = 1;
const REQUEST_BAKE: i64 = 2;

/// What an invocation runs after replaying the snippets.
pub(crate) enum Entry<'a> {
    /// Source evaluated as "(eval)".
    Eval(&'a str),
    /// `Target.call(*args, kwargs)` on a top-level constant.
    Run {
        target: &'a str,
        args: &'a [Value],
        kwargs: &'a [(String, Value)],
    },
    /// Nothing: bind and replay only, to bake the result.
    Bake,
}

/// Encodes an invocation request; `paths` and `snippets` are empty when the
/// guest starts from a baked state and must not replay them.
pub(crate) fn encode_invocation(
    paths: &[String],
    snippets: &[Vec<u8>],
    entry: &Entry<'_>,
    handles: &mut dyn HandleIssuer,
) -> Result<Vec<u8>, EncodeError> {
    let mut writer = Writer::new();
    writer.array_header(4)?;
    writer.array_header(paths.len())?;
    for path in paths {
        writer.str(path)?;
    }
    writer.int(match entry {
        Entry::Eval(_) => REQUEST_EVAL,
        Entry::Run { .. } => REQUEST_RUN,
        Entry::Bake => REQUEST_BAKE,
    });
    writer.array_header(snippets.len())?;
    for snippet in snippets {
        writer.bin(snippet)?;
    }
    match entry {
        Entry::Bake => writer.value(&Value::Nil, handles)?,
        Entry::Eval(source) => writer.str(source)?,
        // `[target, [args...], {kwargs}]`, written level by level: the two
        // levels of framing do not count against an argument's depth.
        Entry::Run { target, args, kwargs } => {
            writer.array_header(3)?;
            writer.str(target)?;
            writer.array_header(args.len())?;
            for arg in *args {
                writer.value(arg, handles)?;
            }
            writer.map_header(kwargs.len())?;
            for (name, value) in *kwargs {
                writer.sym(name)?;
                writer.value(value, handles)?;
            }
        }
    }
    writer.finish()
}

/// Encodes a compile request for the snippet `name`.
pub(crate) fn encode_compile(name: &str, source: &str) -> Result<Vec<u8>, EncodeError> {
    let mut writer = Writer::new();
    writer.array_header(2)?;
    writer.str(name)?;
    writer.str(source)?;
    writer.finish()
}

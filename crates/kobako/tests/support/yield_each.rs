//! The body of the `Host::Each` service that hostile scripts call, shared
//! by tests/hostile.rs and the `eval_bytes` fuzz target (through `#[path]`).

use kobako::{BlockError, Call, Fault, Value};

/// `Each.call(n) { |i| ... }`: yields 0...n (n clamped to 0..=`max`) and
/// returns the block's values; a `break` or an abort ends it with nil.
pub fn yield_each(call: &mut Call<'_>, max: i64) -> Result<Value, Fault> {
    let n = match call.args() {
        [Value::Int(n)] => (*n).clamp(0, max),
        _ => return Err(Fault::argument("Each.call takes one Integer")),
    };
    let block = call
        .block()
        .ok_or_else(|| Fault::argument("Each.call needs a block"))?;
    let mut values = Vec::new();
    for i in 0..n {
        match block.call(vec![Value::Int(i)]) {
            Ok(value) => values.push(value),
            Err(BlockError::Break | BlockError::Aborted) => return Ok(Value::Nil),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Value::Array(values))
}

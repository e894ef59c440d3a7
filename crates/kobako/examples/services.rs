//! Binds a small key-value service and a function, then runs a script that
//! uses both: `cargo run -p kobako --example services`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use kobako::{Call, Fault, Sandbox, Service, Value};

/// An in-memory store the script reaches as `KV::Store`.
#[derive(Default)]
struct Store(Mutex<BTreeMap<String, Value>>);

impl Service for Store {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        let mut map = self.0.lock().map_err(|_| Fault::runtime("store poisoned"))?;
        match (call.method(), call.args()) {
            ("get", [Value::Str(key)]) => Ok(map.get(key).cloned().unwrap_or(Value::Nil)),
            ("set", [Value::Str(key), value]) => {
                map.insert(key.clone(), value.clone());
                Ok(value.clone())
            }
            ("each", []) => {
                let entries: Vec<(String, Value)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                drop(map);
                let block = call
                    .block()
                    .ok_or_else(|| Fault::argument("each needs a block"))?;
                for (key, value) in entries {
                    block.call(vec![Value::Str(key), value])?;
                }
                Ok(Value::Nil)
            }
            (method, args) => Err(Fault::argument(format!(
                "no {method} taking {} arguments",
                args.len()
            ))),
        }
    }
}

fn main() -> Result<(), kobako::Error> {
    let mut builder = Sandbox::builder();
    builder
        .service("KV::Store", Store::default())?
        .service_fn("Math::Add", |a: i64, b: i64| a + b)?;
    let sandbox = builder.build()?;
    let run = sandbox.eval(
        r##"
        KV::Store.set("a", Math::Add.call(40, 2))
        KV::Store.set("b", [1, {c: 2}])
        KV::Store.each { |k, v| puts "#{k} = #{v.inspect}" }
        KV::Store.get("a")
        "##,
    )?;
    print!("{}", run.output().stdout_lossy());
    println!("=> {}", run.value());
    Ok(())
}

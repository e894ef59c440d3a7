//! Section 4 of the spec: blocks passed to Services and yields back into
//! the guest (B-23..B-30, E-28, E-29, E-31).

mod common;

use std::sync::Mutex;

use common::*;
use kobako::{BlockError, Call, ErrorKind, Fault, Sandbox, Service, Value};

/// Yields each argument to the block and records what each yield returned;
/// returns `:done` (or the first block error it saw, as a string).
#[derive(Default)]
struct Each {
    seen: Mutex<Vec<String>>,
}

impl Service for Each {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        let items = call.take_args();
        let method = call.method().to_owned();
        let Some(block) = call.block() else {
            return Ok(Value::Str("no block".into()));
        };
        if method == "ignore" {
            return Ok(sym("ignored"));
        }
        for item in items {
            let reply = match method.as_str() {
                "each_pair" => block.call(vec![item.clone(), Value::Int(0)]),
                _ => block.call(vec![item]),
            };
            match reply {
                Ok(value) => self.seen.lock().unwrap().push(value.to_string()),
                Err(BlockError::Break) => {
                    // A second call after break is refused.
                    let again = block.call(vec![Value::Nil]);
                    self.seen.lock().unwrap().push(format!("break, then {again:?}"));
                    return Ok(sym("discarded"));
                }
                Err(other) => return Ok(Value::Str(other.to_string())),
            }
        }
        Ok(sym("done"))
    }
}

fn each_sandbox() -> (Sandbox, std::sync::Arc<Each>) {
    let each = std::sync::Arc::new(Each::default());
    // Room for the million-value block results of the E-29 test.
    let mut builder = Sandbox::builder().memory_limit(Some(64 << 20));
    builder.service_arc("Iter::Each", each.clone()).unwrap();
    builder.service("S::Echo", Recorder::default()).unwrap();
    let sandbox = builder.build().unwrap();
    (sandbox, each)
}

fn seen(each: &Each) -> Vec<String> {
    std::mem::take(&mut *each.seen.lock().unwrap())
}

#[test]
fn b23_block_given_only_when_the_guest_passes_one() {
    let (sandbox, _) = each_sandbox();
    let value = sandbox
        .eval("[S::Echo.x { }[3], S::Echo.x[3], S::Echo.x(&:to_s)[3]]")
        .unwrap()
        .into_value();
    assert_eq!(value, Value::from(vec![true, false, true]));
}

#[test]
fn b23_plain_blocks_bind_loosely_and_lambdas_strictly() {
    let (sandbox, each) = each_sandbox();
    let run = sandbox.eval("Iter::Each.each_pair(1, 2) { |a| a * 10 }").unwrap();
    assert_eq!(run.value(), &sym("done"));
    assert_eq!(seen(&each), vec!["10", "20"], "the extra argument is dropped");
    let value = sandbox
        .eval("Iter::Each.each_pair(1, &->(a) { a })")
        .unwrap()
        .into_value();
    assert!(value.as_str().unwrap().contains("ArgumentError"), "{value}");
}

#[test]
fn b24_b26_yield_runs_the_block_and_returns_its_value() {
    let (sandbox, each) = each_sandbox();
    let source =
        "out = []; r = Iter::Each.each(1, 2, 3) { |x| out << x; next :skip if x == 2; x * x }; [r, out]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![sym("done"), Value::from(vec![1i64, 2, 3])])
    );
    assert_eq!(seen(&each), vec!["1", ":skip", "9"]);
}

#[test]
fn b24_l05_a_yielded_value_keeps_all_128_levels() {
    let (sandbox, each) = each_sandbox();
    let source = "a = nil; 128.times { a = [a] }; \
                  Iter::Each.each(a) { |x| d = 0; while x.is_a?(Array); x = x[0]; d += 1; end; d }";
    assert_eq!(sandbox.eval(source).unwrap().into_value(), sym("done"));
    assert_eq!(seen(&each), vec!["128"]);
}

#[test]
fn b24_an_exception_in_the_block_reaches_the_service() {
    let (sandbox, _) = each_sandbox();
    let value = sandbox
        .eval("Iter::Each.each(1) { |x| raise KeyError, 'nope' }")
        .unwrap()
        .into_value();
    assert_eq!(value, string("KeyError: nope"));
}

#[test]
fn b25_break_ends_the_service_call_with_the_break_value() {
    let (sandbox, each) = each_sandbox();
    let source = "r = Iter::Each.each(1, 2, 3) { |x| break [x, :stop] if x == 2; x }; [r, :after]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![Value::Array(vec![Value::Int(2), sym("stop")]), sym("after")])
    );
    assert_eq!(
        seen(&each),
        vec!["1".to_owned(), "break, then Err(Spent)".to_owned()]
    );
}

#[test]
fn b25_e29_a_break_value_that_could_not_cross_stays_in_the_guest() {
    let (sandbox, each) = each_sandbox();
    let source = "o = Object.new; r = Iter::Each.each(1, 2) { break o }; [r.equal?(o), (1..2).then { |x| Iter::Each.each(1) { break x } }.to_s]";
    assert_eq!(
        sandbox.eval(source).unwrap().value().to_string(),
        r#"[true, "1..2"]"#
    );
    assert_eq!(
        seen(&each),
        vec![
            "break, then Err(Spent)".to_owned(),
            "break, then Err(Spent)".to_owned()
        ]
    );
}

#[test]
fn b25_break_values_keep_their_handles() {
    let (sandbox, _) = each_sandbox();
    sandbox.eval("1").unwrap();
    let mut builder = Sandbox::builder();
    let counter = kobako::HostObject::new(Each::default());
    let object = counter.clone();
    builder.service_fn("S::Obj", move || 0).unwrap();
    builder.service("Iter::Each", Each::default()).unwrap();
    builder.service("S::Make", MakeObject(object)).unwrap();
    let sandbox = builder.build().unwrap();
    let source = "h = S::Make.call; r = Iter::Each.each(1) { break h }; [r.class.name, r.equal?(h)]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![string("Kobako::Handle"), Value::Bool(true)])
    );
}

struct MakeObject(kobako::HostObject);

impl Service for MakeObject {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        Ok(Value::Object(self.0.clone()))
    }
}

/// The second and later calls by one name take a shortcut past
/// `method_missing`; `break`, `next` and a `return` that cannot leave
/// through the host behave on them as on the first.
#[test]
fn b25_b26_every_call_by_one_name_handles_break_next_and_return_alike() {
    let (sandbox, _) = each_sandbox();
    let shapes = [
        "Iter::Each.each(1, 2, 3) { |x| break [x, :stop] if x == 2; x }",
        "Iter::Each.each(1, 2) { |x| next x * 10 }",
        "(def m = Iter::Each.each(1) { return :from_m }; m)",
        "Iter::Each.each(1, &->(x) { break x })",
    ];
    for shape in shapes {
        let source = format!("3.times.map {{ {shape} }}");
        let value = sandbox.eval(&source).unwrap().into_value();
        let Value::Array(results) = value else {
            panic!("{shape}: not an Array: {value}");
        };
        assert!(
            results.windows(2).all(|pair| pair[0] == pair[1]),
            "{shape}: the calls answered differently: {results:?}"
        );
    }
    assert_eq!(
        sandbox
            .eval("2.times.map { Iter::Each.each(1, 2, 3) { |x| break [x, :stop] if x == 2; x } }")
            .unwrap()
            .value()
            .to_string(),
        "[[2, :stop], [2, :stop]]"
    );
}

#[test]
fn b27_break_and_return_in_a_lambda_act_like_next() {
    let (sandbox, each) = each_sandbox();
    let source = "Iter::Each.each(1, 2, &->(x) { break x * 100 if x == 1; return x * 1000 })";
    assert_eq!(sandbox.eval(source).unwrap().into_value(), sym("done"));
    assert_eq!(seen(&each), vec!["100", "2000"]);
}

#[test]
fn b28_nested_dispatches_have_their_own_blocks() {
    let (sandbox, _) = each_sandbox();
    let source = r#"
        log = []
        outer = Iter::Each.each(1, 2) do |a|
          inner = Iter::Each.each(:x, :y) { |b| log << [a, b]; break :inner_broke if b == :y }
          log << inner
          a
        end
        [outer, log]
    "#;
    let value = sandbox.eval(source).unwrap().into_value();
    let expected = "[:done, [[1, :x], [1, :y], :inner_broke, [2, :x], [2, :y], :inner_broke]]";
    assert_eq!(value.to_string(), expected);
}

#[test]
fn b29_many_yields_run_in_order_and_the_call_returns_the_service_value() {
    let (sandbox, each) = each_sandbox();
    let args: Vec<String> = (0..200).map(|i| i.to_string()).collect();
    let source = format!(
        "sum = 0; r = Iter::Each.each({}) {{ |x| sum += x }}; [r, sum]",
        args.join(", ")
    );
    assert_eq!(
        sandbox.eval(&source).unwrap().into_value(),
        Value::Array(vec![sym("done"), Value::Int(19_900)])
    );
    assert_eq!(seen(&each).len(), 200);
}

#[test]
fn b30_a_block_never_yielded_to_never_runs() {
    let (sandbox, _) = each_sandbox();
    let run = sandbox
        .eval("r = Iter::Each.ignore(1) { puts 'ran' }; r")
        .unwrap();
    assert_eq!(run.value(), &sym("ignored"));
    assert_eq!(run.output().stdout(), b"");
}

#[test]
fn e28_return_from_a_plain_block_is_a_local_jump_error() {
    let (sandbox, _) = each_sandbox();
    let value = sandbox
        .eval("def m = Iter::Each.each(1) { return 5 }\nm")
        .unwrap()
        .into_value();
    assert!(value.as_str().unwrap().contains("LocalJumpError"), "{value}");
}

#[test]
fn e29_a_block_value_that_cannot_cross_fails_at_the_yield() {
    let (sandbox, _) = each_sandbox();
    let value = sandbox
        .eval("Iter::Each.each(1) { Object.new }")
        .unwrap()
        .into_value();
    assert!(value.as_str().unwrap().contains("Object"), "{value}");
    let value = sandbox
        .eval("Iter::Each.each(1) { [true] * 1_048_576 }")
        .unwrap()
        .into_value();
    assert!(
        value.as_str().unwrap().contains("more than 1048576 values"),
        "{value}"
    );
}

#[test]
fn e31_unsendable_yield_arguments_never_enter_the_guest() {
    struct YieldDeep;
    impl Service for YieldDeep {
        fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
            let mut deep = Value::Nil;
            for _ in 0..200 {
                deep = Value::Array(vec![deep]);
            }
            let block = call.block().ok_or_else(|| Fault::argument("needs a block"))?;
            match block.call(vec![deep]) {
                Err(BlockError::Unsendable(why)) => Err(Fault::argument(why)),
                other => Ok(Value::Str(format!("{other:?}"))),
            }
        }
    }
    let mut builder = Sandbox::builder();
    builder.service("S::Deep", YieldDeep).unwrap();
    let sandbox = builder.build().unwrap();
    let run = sandbox
        .eval("begin; S::Deep.go { puts 'entered' }; rescue Kobako::ServiceError => e; e.message; end")
        .unwrap();
    assert!(run.value().as_str().unwrap().contains("128"), "{}", run.value());
    assert_eq!(run.output().stdout(), b"", "the guest block never ran");
}

#[test]
fn l01_a_block_that_loops_forever_times_out() {
    let mut builder = Sandbox::builder().timeout(Some(std::time::Duration::from_millis(100)));
    builder.service("Iter::Each", Each::default()).unwrap();
    let sandbox = builder.build().unwrap();
    let e = sandbox.eval("Iter::Each.each(1) { loop {} }").unwrap_err();
    assert!(e.kind() == ErrorKind::Timeout, "{e:?}");
    assert!(sandbox.eval("Iter::Each.each(1) { |x| x }").is_ok());
}

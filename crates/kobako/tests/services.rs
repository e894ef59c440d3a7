//! Sections 2 and 3 of the spec: registering Services, dispatching guest
//! calls to them, and Capability Handles (B-07..B-22, B-36, B-37, E-13,
//! E-22..E-27, E-35..E-37, L-06, X-04, X-05, S-03, S-04).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use kobako::{Call, ErrorKind, Fault, HostObject, Origin, Sandbox, Service, Value};

/// A counter the guest can only reach as a Handle.
#[derive(Default)]
struct Counter(AtomicUsize);

impl Service for Counter {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.method() {
            "incr" => Ok(Value::Int(self.0.fetch_add(1, Ordering::SeqCst) as i64 + 1)),
            "value" => Ok(Value::Int(self.0.load(Ordering::SeqCst) as i64)),
            other => Err(Fault::undefined(format!("Counter has no method {other}"))),
        }
    }
}

/// Hands out Handles and checks the ones it gets back.
struct Factory {
    counter: HostObject,
}

impl Service for Factory {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.method() {
            "counter" => Ok(Value::Object(self.counter.clone())),
            "pair" => Ok(Value::Array(vec![
                Value::Object(self.counter.clone()),
                Value::Int(1),
            ])),
            "same?" => {
                let found = |v: &Value| matches!(v, Value::Object(o) if o.ptr_eq(&self.counter));
                let mut all = call.args().to_vec();
                all.extend(call.kwargs().iter().map(|(_, v)| v.clone()));
                Ok(Value::Array(
                    all.iter().map(|v| Value::Bool(contains(v, &found))).collect(),
                ))
            }
            other => Err(Fault::undefined(format!("no method {other}"))),
        }
    }
}

fn contains(value: &Value, found: &dyn Fn(&Value) -> bool) -> bool {
    found(value)
        || match value {
            Value::Array(items) => items.iter().any(|v| contains(v, found)),
            Value::Map(pairs) => pairs
                .iter()
                .any(|(k, v)| contains(k, found) || contains(v, found)),
            _ => false,
        }
}

/// How many times the counter behind `object` was incremented.
fn count(object: &HostObject) -> usize {
    object.downcast_ref::<Counter>().unwrap().0.load(Ordering::SeqCst)
}

fn factory_sandbox() -> (Sandbox, HostObject) {
    let counter = HostObject::new(Counter::default());
    let mut builder = Sandbox::builder();
    builder
        .service(
            "Objects::Factory",
            Factory {
                counter: counter.clone(),
            },
        )
        .unwrap();
    let sandbox = builder.build().unwrap();
    (sandbox, counter)
}

#[test]
fn b07_namespace_exists_as_a_module_once_a_member_is_bound() {
    let mut builder = Sandbox::builder();
    builder.service("Store::Kv", Recorder::default()).unwrap();
    let sandbox = builder.build().unwrap();
    assert_eq!(
        sandbox
            .eval("[Store.class.name, Store::Kv.name]")
            .unwrap()
            .into_value(),
        Value::from(vec!["Module", "Store::Kv"])
    );
}

#[test]
fn b08_bound_member_is_reached_in_every_invocation() {
    let mut builder = Sandbox::builder();
    builder.service("My::Echo", Recorder::default()).unwrap();
    let sandbox = builder.build().unwrap();
    for _ in 0..3 {
        let value = sandbox.eval("My::Echo.ping").unwrap().into_value();
        assert_eq!(
            value,
            Value::Array(vec![
                string("ping"),
                Value::Array(vec![]),
                Value::Map(vec![]),
                Value::Bool(false)
            ])
        );
    }
}

#[test]
fn b38_a_namespace_named_after_any_guest_module_binds_and_the_module_keeps_working() {
    // Every module and class the guest defines at the top level under its
    // own name, as the guest lists them (Kobako is reserved).
    let listed = value_of(
        "Object.constants.select { |c| m = Object.const_get(c); m.is_a?(Module) && m.name == c.to_s }.map(&:to_s) - ['Kobako']",
    );
    let Value::Array(names) = listed else {
        panic!("{listed}")
    };
    assert!(names.contains(&string("Data")) && names.len() > 50, "{names:?}");
    let mut builder = Sandbox::builder();
    for name in &names {
        let name = name.as_str().unwrap().to_owned();
        let path = format!("{name}::Fetch");
        builder
            .service_fn(&path, move |id: i64| format!("{name}:{id}"))
            .unwrap();
    }
    let sandbox = builder.build().unwrap();
    let fetched = sandbox
        .eval(&format!(
            "{}.map {{ |n| Object.const_get(n)::Fetch.call(1) }}",
            Value::Array(names.clone())
        ))
        .unwrap()
        .into_value();
    let expected: Vec<Value> = names
        .iter()
        .map(|n| string(&format!("{}:1", n.as_str().unwrap())))
        .collect();
    assert_eq!(fetched, Value::Array(expected));
    let source = r#"[Data::Fetch.call(2), Data.define(:x).new(x: 1).x, Struct.new(:a).new(2).a,
        Set[1, 2].size, Time.at(0).to_i, "ab".upcase, JSON.generate([1]), 3.clamp(1, 2)]"#;
    assert_eq!(
        sandbox.eval(source).unwrap().value().to_string(),
        r#"["Data:2", 1, 2, 2, 0, "AB", "[1]", 2]"#
    );
}

#[test]
fn b38_a_namespace_named_after_a_constant_that_is_no_module_fails_clearly() {
    let mut builder = Sandbox::builder();
    builder.service_fn("ENV::Fetch", || 1_i64).unwrap();
    let sandbox = builder.build().unwrap();
    let e = error_of(&sandbox, "1");
    assert_eq!(failure(&e).klass(), Some("TypeError"));
    assert!(
        failure(&e)
            .message()
            .starts_with("cannot bind ENV::Fetch: ENV is "),
        "{}",
        failure(&e).message()
    );
}

#[test]
fn b09_several_namespaces_resolve_to_their_own_objects() {
    let mut builder = Sandbox::builder();
    builder.service_fn("A::Store", || "a").unwrap();
    builder.service_fn("B::Store", || "b").unwrap();
    let sandbox = builder.build().unwrap();
    assert_eq!(
        sandbox
            .eval("[A::Store.call, B::Store.call]")
            .unwrap()
            .into_value(),
        Value::from(vec!["a", "b"])
    );
    let other = Sandbox::new().unwrap();
    assert!(
        other.eval("A::Store").is_err(),
        "another Sandbox never sees these services"
    );
}

#[test]
fn b10_members_under_an_existing_namespace_are_added() {
    let mut builder = Sandbox::builder();
    builder.service_fn("Ns::One", || 1).unwrap();
    builder.service_fn("Ns::Two", || 2).unwrap();
    let sandbox = builder.build().unwrap();
    assert_eq!(
        sandbox.eval("Ns::One.call + Ns::Two.call").unwrap().into_value(),
        Value::Int(3)
    );
}

#[test]
fn b11_e37_binding_a_path_twice_fails_and_keeps_the_first() {
    let mut builder = Sandbox::builder();
    builder.service_fn("Ns::Dup", || "first").unwrap();
    let e = builder.service_fn("Ns::Dup", || "second").unwrap_err();
    let sandbox = builder.build().unwrap();
    assert!(
        e.kind() == ErrorKind::Usage && e.to_string().contains("Ns::Dup"),
        "{e:?}"
    );
    assert_eq!(
        sandbox.eval("Ns::Dup.call").unwrap().into_value(),
        string("first")
    );
}

#[test]
fn b12_dispatch_calls_bound_object_with_args_and_kwargs() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("MyService::KV", recorder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let value = sandbox
        .eval(r#"MyService::KV.get("a", 2, ttl: 5)"#)
        .unwrap()
        .into_value();
    assert_eq!(
        value,
        Value::Array(vec![
            string("get"),
            Value::Array(vec![string("a"), Value::Int(2)]),
            Value::Map(vec![(sym("ttl"), Value::Int(5))]),
            Value::Bool(false),
        ])
    );
    assert_eq!(
        *recorder.calls.lock().unwrap(),
        vec!["get".to_owned()],
        "called exactly once"
    );
}

#[test]
fn b12_keywords_arrive_with_or_without_positionals() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let source = r#"
        a = [1, 2]
        h = { ttl: 5 }
        [
          S::Echo.get(ttl: 5),
          S::Echo.get(*a, ttl: 5),
          S::Echo.get(**h),
          S::Echo.get(*a, **h) { },
          S::Echo.get(*a),
          S::Echo.get(ttl: 5) { },
        ].map { |_, args, kwargs, block| [args, kwargs, block] }
    "#;
    let ttl = || Value::Map(vec![(sym("ttl"), Value::Int(5))]);
    let one_two = || Value::Array(vec![Value::Int(1), Value::Int(2)]);
    let row = |args: Value, kwargs: Value, block: bool| Value::Array(vec![args, kwargs, Value::Bool(block)]);
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            row(Value::Array(vec![]), ttl(), false),
            row(one_two(), ttl(), false),
            row(Value::Array(vec![]), ttl(), false),
            row(one_two(), ttl(), true),
            row(one_two(), Value::Map(vec![]), false),
            row(Value::Array(vec![]), ttl(), true),
        ])
    );
    assert_eq!(recorder.calls.lock().unwrap().len(), 6);
}

#[test]
fn b12_explicit_hash_stays_positional() {
    let mut builder = Sandbox::builder();
    builder.service("S::Kv", Recorder::default()).unwrap();
    let sandbox = builder.build().unwrap();
    let value = sandbox.eval("S::Kv.put(:k, {a: 1})[1..2]").unwrap().into_value();
    assert_eq!(
        value,
        Value::Array(vec![
            Value::Array(vec![sym("k"), Value::Map(vec![(sym("a"), Value::Int(1))])]),
            Value::Map(vec![])
        ])
    );
}

#[test]
fn b13_wire_values_come_back_as_copies() {
    let mut builder = Sandbox::builder();
    builder.service_fn("Data::List", || vec![1, 2, 3]).unwrap();
    let sandbox = builder.build().unwrap();
    let source = "a = Data::List.call; a << 4; [a, Data::List.call]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            Value::from(vec![1i64, 2, 3, 4]),
            Value::from(vec![1i64, 2, 3])
        ])
    );
}

#[test]
fn b14_b17_objects_become_handles_and_calls_reach_them() {
    let (sandbox, counter) = factory_sandbox();
    let source = "c = Objects::Factory.counter; c.incr; c.incr; [c.class.name, c.value]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![string("Kobako::Handle"), Value::Int(2)])
    );
    assert_eq!(count(&counter), 2);
}

#[test]
fn b15_the_same_object_twice_gives_two_handles() {
    let (sandbox, _) = factory_sandbox();
    let source = "a = Objects::Factory.counter; b = Objects::Factory.counter; [a.equal?(b), Objects::Factory.same?(a, b)]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![Value::Bool(false), Value::from(vec![true, true])])
    );
}

#[test]
fn b16_handles_passed_back_are_the_original_object() {
    let (sandbox, _) = factory_sandbox();
    let source =
        "c = Objects::Factory.counter; Objects::Factory.same?(c, [1, [c]], {c => 1}, {k: c}, opt: c)";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::from(vec![true, true, true, true, true])
    );
}

#[test]
fn b17_chains_of_handles_each_dispatch() {
    let (sandbox, counter) = factory_sandbox();
    let value = sandbox
        .eval("Objects::Factory.pair.first.incr")
        .unwrap()
        .into_value();
    assert_eq!(value, Value::Int(1));
    assert_eq!(count(&counter), 1);
}

#[test]
fn b18_e24_a_handle_id_from_nowhere_resolves_to_nothing() {
    // [ext1(id 7), "incr", [], {}, false]: a call to a Handle this
    // invocation never issued, made through the raw ABI.
    let call = "\\95\\d6\\01\\00\\00\\00\\07\\a4incr\\90\\80\\c2";
    let counter = Arc::new(Counter::default());
    let mut builder = Sandbox::builder().guest_wasm_bytes(raw_call_guest(call, 13));
    builder.service_arc("Objects::Counter", counter.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    assert_eq!(
        sandbox.eval("").unwrap().into_value(),
        Value::Nil,
        "the host answers with a fault, no trap"
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 0, "no service ran");
}

#[test]
fn b19_dropping_the_sandbox_releases_bound_objects() {
    let counter = Arc::new(Counter::default());
    let mut builder = Sandbox::builder();
    builder.service_arc("Objects::Counter", counter.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    sandbox.eval("Objects::Counter.incr").unwrap();
    assert!(Arc::strong_count(&counter) > 1);
    drop(sandbox);
    assert_eq!(Arc::strong_count(&counter), 1);
}

#[test]
fn b20_x05_handles_cannot_be_built_or_changed_in_the_guest() {
    let (sandbox, _) = factory_sandbox();
    for source in [
        "Kobako::Handle.new(1)",
        "Kobako::Handle.allocate",
        "Class.new(Kobako::Handle).new",
    ] {
        assert_eq!(
            failure(&error_of(&sandbox, source)).klass(),
            Some("NoMethodError"),
            "{source}"
        );
    }
    let e = error_of(
        &sandbox,
        "Objects::Factory.counter.instance_variable_set(:@id, 1)",
    );
    assert_eq!(failure(&e).klass(), Some("FrozenError"));
    let source =
        "c = Objects::Factory.counter; d = c.dup; d.incr; [c.frozen?, d.frozen?, c.clone.value, c.inspect]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            Value::Bool(true),
            Value::Bool(true),
            Value::Int(1),
            string("#<Kobako::Handle>")
        ])
    );
}

#[test]
fn x05_handles_cannot_be_built_by_bind_call() {
    let (sandbox, counter) = factory_sandbox();
    // Class#allocate and Class#new reached around Handle's undefined class
    // methods: construction is refused, whatever the route.
    for source in [
        "Class.instance_method(:allocate).bind_call(Kobako::Handle)",
        "Class.instance_method(:new).bind_call(Kobako::Handle)",
        "Class.instance_method(:allocate).bind_call(Class.new(Kobako::Handle))",
        "class << Kobako::Handle
           def allocate = Class.instance_method(:allocate).bind_call(self)
         end
         Kobako::Handle.allocate",
        "Object.method(:allocate).unbind.bind_call(Kobako::Handle)",
    ] {
        let e = error_of(&sandbox, source);
        assert_eq!(failure(&e).klass(), Some("NoMethodError"), "{source}: {e}");
    }
    // What a copy of the class builds is no Handle: it carries no id, cannot
    // take one over from a real Handle, and cannot be sent.
    let source = r#"
        copy = Class.instance_method(:allocate).bind_call(Kobako::Handle.dup)
        real = Objects::Factory.counter
        out = [copy.is_a?(Kobako::Handle)]
        begin; copy.send(:initialize_copy, real); rescue TypeError => e; out << e.class.name; end
        # As an argument it is a plain object: it crosses as its to_s.
        out << Objects::Factory.same?(copy)
        begin; Kobako.__dispatch(copy, :incr, [], {}, nil); rescue TypeError => e; out << e.class.name; end
        out << real.incr
    "#;
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            Value::Bool(false),
            string("TypeError"),
            Value::Array(vec![Value::Bool(false)]),
            string("TypeError"),
            Value::Int(1)
        ])
    );
    assert_eq!(count(&counter), 1, "only the real Handle reached the counter");
}

#[test]
fn x05_changing_a_handle_raises_frozen_error() {
    let (sandbox, counter) = factory_sandbox();
    for source in [
        "h = Objects::Factory.counter; h.instance_eval { @id = 2 }",
        "h = Objects::Factory.counter; Object.instance_method(:instance_variable_set).bind_call(h, :@id, 2)",
        "h = Objects::Factory.counter; h.define_singleton_method(:incr) { :forged }",
        "h = Objects::Factory.counter; h.extend(Comparable)",
        "h = Objects::Factory.counter; Kobako::Handle.instance_method(:initialize_copy).bind_call(h, Objects::Factory.counter)",
    ] {
        let e = error_of(&sandbox, source);
        assert_eq!(failure(&e).klass(), Some("FrozenError"), "{source}: {e}");
    }
    // Kernel's own dup and clone give frozen copies that reach the same
    // host object.
    let source = r#"
        h = Objects::Factory.counter
        d = Object.instance_method(:dup).bind_call(h)
        c = Object.instance_method(:clone).bind_call(h)
        [h.frozen?, d.frozen?, c.frozen?, d.incr, c.incr, Objects::Factory.same?(d, c)]
    "#;
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(true),
            Value::Int(1),
            Value::Int(2),
            Value::Array(vec![Value::Bool(true), Value::Bool(true)]),
        ])
    );
    assert_eq!(count(&counter), 2);
}

#[test]
fn b21_e12_l06_running_out_of_handle_ids_is_handler_exhausted() {
    let counter = HostObject::new(Counter::default());
    let mut builder = Sandbox::builder().first_handle_id_for_tests(0x7fff_fffe);
    builder.service("Objects::Factory", Factory { counter }).unwrap();
    let sandbox = builder.build().unwrap();
    assert!(
        sandbox
            .eval("Objects::Factory.counter; Objects::Factory.counter; 1")
            .is_ok(),
        "the last two ids"
    );
    let e = sandbox
        .eval("begin; 3.times { Objects::Factory.counter }; rescue Exception; :rescued; end")
        .unwrap_err();
    assert!(e.kind() == ErrorKind::HandlerExhausted, "{e:?}");
    assert!(e.is_sandbox_error());
    assert!(
        sandbox.eval("Objects::Factory.counter.incr").is_ok(),
        "the next invocation starts over"
    );
}

#[test]
fn b22_separate_sandboxes_on_threads_keep_their_services() {
    let threads: Vec<_> = (0..3i64)
        .map(|n| {
            std::thread::spawn(move || {
                let mut builder = Sandbox::builder();
                builder.service_fn("Id::Me", move || n).unwrap();
                let sandbox = builder.build().unwrap();
                (0..10).all(|_| sandbox.eval("Id::Me.call").unwrap().into_value() == Value::Int(n))
            })
        })
        .collect();
    assert!(threads.into_iter().all(|t| t.join().unwrap()));
}

#[test]
fn b36_respond_to_is_optimistic_and_local_names_stay_local() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let source = "[S::Echo.respond_to?(:anything), S::Echo.to_s, S::Echo.frozen?, S::Echo == S::Echo]";
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            Value::Bool(true),
            string("S::Echo"),
            Value::Bool(false),
            Value::Bool(true)
        ])
    );
    assert!(recorder.calls.lock().unwrap().is_empty(), "no host call");
}

/// `S::Objects.recorder`: the shared Recorder, as a Handle.
struct RecorderFactory(Arc<Recorder>);

impl Service for RecorderFactory {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        Ok(Value::Object(HostObject::from_arc(self.0.clone())))
    }
}

/// The names of Kernel's (and Module's) private methods in CRuby, called
/// with an explicit receiver: each reaches the service, for those mruby
/// defines (and answers locally without the proxy's forwarding) as for the
/// rest.
const KERNEL_PRIVATE_NAMES: &str = "format sprintf fail raise puts p pp print printf putc warn
    rand srand loop catch throw lambda proc block_given? iterator? eval caller global_variables
    local_variables Integer Float String Array Hash Rational Complex sleep exit abort open system
    select test gets require load binding at_exit spawn exec fork";

#[test]
fn b12_kernel_method_names_reach_the_service() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    builder
        .service("S::Objects", RecorderFactory(recorder.clone()))
        .unwrap();
    let sandbox = builder.build().unwrap();
    let names: Vec<&str> = KERNEL_PRIVATE_NAMES.split_whitespace().collect();
    let calls: Vec<String> = names
        .iter()
        .map(|name| format!("S::Echo.{name}(1, k: 2)[0]"))
        .collect();
    let source = format!("[{}]", calls.join(", "));
    let expected = Value::Array(names.iter().map(|n| string(n)).collect());
    assert_eq!(sandbox.eval(&source).unwrap().into_value(), expected);
    assert_eq!(recorder.calls.lock().unwrap().len(), names.len());
    recorder.calls.lock().unwrap().clear();

    // Module's private methods too, and arguments, keywords and blocks
    // travel as for any other name.
    let source = r#"
        [S::Echo.public(:a), S::Echo.private, S::Echo.remove_const(:X),
         S::Echo.format("%d", 5, k: 1) { }, S::Echo.loop { break :local }]
    "#;
    let row = |method: &str, args: Vec<Value>, kwargs: Vec<(Value, Value)>, block: bool| {
        Value::Array(vec![
            string(method),
            Value::Array(args),
            Value::Map(kwargs),
            Value::Bool(block),
        ])
    };
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            row("public", vec![sym("a")], vec![], false),
            row("private", vec![], vec![], false),
            row("remove_const", vec![sym("X")], vec![], false),
            row(
                "format",
                vec![string("%d"), Value::Int(5)],
                vec![(sym("k"), Value::Int(1))],
                true
            ),
            row("loop", vec![], vec![], true),
        ])
    );
    recorder.calls.lock().unwrap().clear();

    // The same names on a Handle reach the host object.
    let calls: Vec<String> = names.iter().map(|name| format!("h.{name}(1)[0]")).collect();
    let source = format!("h = S::Objects.recorder; [{}]", calls.join(", "));
    assert_eq!(sandbox.eval(&source).unwrap().into_value(), expected);
    assert_eq!(recorder.calls.lock().unwrap().len(), names.len());
}

/// The first call by a name goes through `method_missing`; later calls by
/// that name in the same invocation take a shortcut. Each must arrive as it
/// was sent, on a service constant (frozen or not) and on a Handle.
#[test]
fn b12_every_call_by_one_name_carries_its_own_arguments() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    builder.service_arc("S::Frozen", recorder.clone()).unwrap();
    builder
        .service("S::Objects", RecorderFactory(recorder.clone()))
        .unwrap();
    let sandbox = builder.build().unwrap();
    let shapes = [
        "get",
        "get(1)",
        "get(1, k: 2)",
        "get(1) { }",
        "get(1..2)",
        "get({1 => 2})",
        "get(k: 2) { }",
    ];
    let row = |args: Vec<Value>, kwargs: Vec<(Value, Value)>, block: bool| {
        Value::Array(vec![
            string("get"),
            Value::Array(args),
            Value::Map(kwargs),
            Value::Bool(block),
        ])
    };
    let expected = vec![
        row(vec![], vec![], false),
        row(vec![Value::Int(1)], vec![], false),
        row(vec![Value::Int(1)], vec![(sym("k"), Value::Int(2))], false),
        row(vec![Value::Int(1)], vec![], true),
        row(vec![string("1..2")], vec![], false),
        row(
            vec![Value::Map(vec![(Value::Int(1), Value::Int(2))])],
            vec![],
            false,
        ),
        row(vec![], vec![(sym("k"), Value::Int(2))], true),
    ];
    for receiver in ["S::Echo", "S::Frozen", "h"] {
        let calls: Vec<String> = shapes.iter().map(|shape| format!("{receiver}.{shape}")).collect();
        let source = format!(
            "S::Frozen.freeze; h = S::Objects.recorder; [{}]",
            calls.join(", ")
        );
        assert_eq!(
            sandbox.eval(&source).unwrap().into_value(),
            Value::Array(expected.clone()),
            "calls on {receiver}"
        );
    }
    let (local, forwarded) = (
        "S::Echo.respond_to?(:get)",
        "S::Echo.get(0); [S::Echo.respond_to?(:get), S::Echo.get(1)[1]]",
    );
    assert_eq!(sandbox.eval(local).unwrap().into_value(), Value::Bool(true));
    assert_eq!(
        sandbox.eval(forwarded).unwrap().into_value(),
        Value::Array(vec![Value::Bool(true), Value::Array(vec![Value::Int(1)])])
    );
    // A later invocation starts again from method_missing.
    assert_eq!(
        sandbox
            .eval("S::Echo.singleton_methods(false).include?(:get)")
            .unwrap()
            .into_value(),
        Value::Bool(false)
    );
}

#[test]
fn b36_public_names_stay_local_on_proxies_and_handles() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    builder
        .service("S::Objects", RecorderFactory(recorder.clone()))
        .unwrap();
    let sandbox = builder.build().unwrap();
    let source = r#"
        h = S::Objects.recorder
        [
          S::Echo.name, S::Echo.to_s, S::Echo.inspect, S::Echo.class, S::Echo.new.class,
          S::Echo == S::Echo, S::Echo.equal?(S::Echo), S::Echo.frozen?, S::Echo.is_a?(Class),
          S::Echo.respond_to?(:format), S::Echo.respond_to?(:anything),
          S::Echo.instance_variable_get(:@__kobako_path), S::Echo.tap { }.name,
          S::Echo.send(:name), S::Echo.hash.is_a?(Integer), { S::Echo => 1 }[S::Echo],
          (S::Echo === 1), S::Echo.ancestors.include?(Kobako::ServiceProxy),
          S::Echo.method(:format).owner == Kobako::ServiceProxy.singleton_class,
          h.inspect, h.to_s, h.frozen?, h.is_a?(Kobako::Handle), h.class, h.dup.equal?(h),
          h.respond_to?(:format), h.nil?, h == h, h.instance_variables,
          (begin; h.instance_variable_set(:@a, 1); rescue FrozenError => e; e.class; end),
        ].map { |v| v.is_a?(Module) ? v.name : v }
    "#;
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            string("S::Echo"),
            string("S::Echo"),
            string("S::Echo"),
            string("Class"),
            string("S::Echo"),
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(false),
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(true),
            string("S::Echo"),
            string("S::Echo"),
            string("S::Echo"),
            Value::Bool(true),
            Value::Int(1),
            Value::Bool(false),
            Value::Bool(true),
            Value::Bool(true),
            string("#<Kobako::Handle>"),
            string("#<Kobako::Handle>"),
            Value::Bool(true),
            Value::Bool(true),
            string("Kobako::Handle"),
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(false),
            Value::Bool(true),
            Value::Array(vec![]),
            string("FrozenError"),
        ])
    );
    assert!(
        recorder.calls.lock().unwrap().is_empty(),
        "only the factory call: {:?}",
        recorder.calls.lock().unwrap()
    );
}

#[test]
fn b37_handles_in_the_result_are_restored() {
    let (sandbox, counter) = factory_sandbox();
    let value = sandbox
        .eval("c = Objects::Factory.counter; [c, {c => [c]}]")
        .unwrap()
        .into_value();
    let Value::Array(items) = value else { panic!() };
    assert!(matches!(&items[0], Value::Object(o) if o.ptr_eq(&counter)));
    let Value::Map(pairs) = &items[1] else { panic!() };
    assert!(matches!(&pairs[0].0, Value::Object(o) if o.ptr_eq(&counter)));
}

#[test]
fn e13_objects_cross_as_their_to_s_and_broken_limits_raise_in_the_guest() {
    let mut builder = Sandbox::builder().memory_limit(Some(64 << 20));
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let source = r#"
        out = []
        deep = 1; 130.times { deep = [deep] }
        begin; S::Echo.put(deep); rescue ArgumentError => e; out << e.class.name; end
        begin; S::Echo.put(2**70); rescue RangeError => e; out << e.class.name; end
        many = [0] * 1_048_576
        begin; S::Echo.put(many); rescue ArgumentError => e; out << e.message; end
        out
    "#;
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::from(vec![
            "ArgumentError",
            "RangeError",
            "a service call argument holds more than 1048576 values (the most one message may carry)"
        ])
    );
    assert!(recorder.calls.lock().unwrap().is_empty());
    // An object crosses as its to_s, at any depth and as a Hash key, as
    // Kobako 0.6.1 sends it; a Handle stays a Handle.
    let source = r#"
        point = Object.new
        def point.to_s = "(1, 2)"
        S::Echo.put(1..2, [point, { point => Time.at(0) }], at: Set[1])
    "#;
    assert_eq!(
        sandbox.eval(source).unwrap().value().to_string(),
        r##"["put", ["1..2", ["(1, 2)", {"(1, 2)" => "1970-01-01 00:00:00 +0000"}]], {at: "#<Set: {1}>"}, false]"##
    );
    let e = error_of(&sandbox, "o = Object.new; def o.to_s = 1; S::Echo.put(o)");
    assert_eq!(failure(&e).klass(), Some("TypeError"));
    assert_eq!(
        failure(&e).message(),
        "Object#to_s returned Integer, not a String; it cannot cross as a service argument"
    );
    assert_eq!(
        *recorder.calls.lock().unwrap(),
        ["put"],
        "only the call that could cross was made"
    );
}

#[test]
fn e22_a_failing_service_raises_service_error_in_the_guest() {
    let mut builder = Sandbox::builder();
    builder
        .service_fn("S::Fail", || -> Result<i64, Fault> {
            Err(Fault::runtime("RuntimeError: disk full"))
        })
        .unwrap();
    let sandbox = builder.build().unwrap();
    let rescued = sandbox
        .eval("begin; S::Fail.call; rescue Kobako::ServiceError => e; [e.class.ancestors.include?(RuntimeError), e.message]; end")
        .unwrap()
        .into_value();
    assert_eq!(
        rescued,
        Value::Array(vec![Value::Bool(true), string("RuntimeError: disk full")])
    );
    let e = error_of(&sandbox, "S::Fail.call");
    let f = failure(&e);
    assert!(e.kind() == ErrorKind::Service);
    assert_eq!(
        (f.origin(), f.klass(), f.message()),
        (
            Some(Origin::Service),
            Some("Kobako::ServiceError"),
            "RuntimeError: disk full"
        )
    );
    assert_eq!(
        f.details(),
        Some(&Value::Map(vec![(string("type"), string("runtime"))]))
    );
}

#[test]
fn e22_a_panicking_service_is_a_runtime_fault_and_the_sandbox_survives() {
    let mut builder = Sandbox::builder();
    builder
        .service_fn("S::Panic", || -> i64 { panic!("service bug") })
        .unwrap();
    let sandbox = builder.build().unwrap();
    let e = error_of(&sandbox, "S::Panic.call");
    assert!(e.kind() == ErrorKind::Service);
    assert!(failure(&e).message().contains("panicked"));
    assert!(
        !failure(&e).message().contains("service bug"),
        "no host internals reach the guest (S-08)"
    );
    assert!(
        error_of(&sandbox, "S::Panic.call")
            .to_string()
            .contains("panicked")
    );
}

#[test]
fn e23_s03_a_path_that_is_not_bound_is_undefined() {
    let mut builder = Sandbox::builder();
    builder.service("S::Echo", Recorder::default()).unwrap();
    let sandbox = builder.build().unwrap();
    let source = r#"
        forged = Class.new(Kobako::ServiceProxy)
        forged.instance_variable_set(:@__kobako_path, "Secret::Admin")
        begin; forged.delete_everything; rescue Kobako::ServiceError => e; e.message; end
    "#;
    let message = sandbox.eval(source).unwrap().into_value();
    assert!(message.as_str().unwrap().contains("Secret::Admin"), "{message}");
    assert_eq!(
        failure(&error_of(&sandbox, "S::Echo.new.anything")).klass(),
        Some("NoMethodError")
    );
}

#[test]
fn e13_keyword_names_that_are_not_symbols_are_refused_in_the_guest() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let source = r#"
        out = []
        [{ "a" => 1 }, { 1 => 2 }, { a: 1, "b" => 2 }].each do |kwargs|
          Kobako.__dispatch("S::Echo", :call, [], kwargs, nil)
        rescue TypeError => e
          out << e.message
        end
        out << S::Echo.call(a: 1)[2]
    "#;
    assert_eq!(
        sandbox.eval(source).unwrap().into_value(),
        Value::Array(vec![
            string("keyword names must be Symbols, not String"),
            string("keyword names must be Symbols, not Integer"),
            string("keyword names must be Symbols, not String"),
            Value::Map(vec![(sym("a"), Value::Int(1))]),
        ])
    );
    assert_eq!(
        *recorder.calls.lock().unwrap(),
        vec!["call".to_owned()],
        "only the good call reached the service"
    );
    let e = error_of(
        &sandbox,
        r#"Kobako.__dispatch("S::Echo", :call, [], { "a" => 1 }, nil)"#,
    );
    assert_eq!(
        failure(&e).klass(),
        Some("TypeError"),
        "a Sandbox error, not a trap: {e}"
    );
}

#[test]
fn e23_paths_and_method_names_that_are_not_utf8_are_refused_in_the_guest() {
    let mut builder = Sandbox::builder();
    let recorder = Arc::new(Recorder::default());
    builder.service_arc("S::Echo", recorder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let path = "a service path must be UTF-8";
    let method = "a service method name must be UTF-8";
    for (source, message) in [
        (r#"Kobako.__dispatch("\xff::\xfe", :call, [], {}, nil)"#, path),
        (r#"Kobako.__dispatch("S::Echo\xff", :call, [], {}, nil)"#, path),
        (
            r#"Kobako.__dispatch("S::Echo", "ca\xffll".to_sym, [], {}, nil)"#,
            method,
        ),
        (r#"S::Echo.__send__("\xff".to_sym)"#, method),
    ] {
        let e = error_of(&sandbox, source);
        assert!(e.is_sandbox_error(), "{source}: {e:?}");
        assert_eq!(failure(&e).klass(), Some("ArgumentError"), "{source}");
        assert_eq!(failure(&e).message(), message, "{source}");
    }
    assert!(recorder.calls.lock().unwrap().is_empty(), "no host call");
    let source = r#"
        begin; Kobako.__dispatch("\xff", :call, [], {}, nil); rescue ArgumentError; end
        S::Echo.café(1)[0]
    "#;
    assert_eq!(sandbox.eval(source).unwrap().into_value(), string("café"));
}

#[test]
fn e25_argument_mismatch_is_category_argument() {
    let mut builder = Sandbox::builder();
    builder.service_fn("Math::Add", |a: i64, b: i64| a + b).unwrap();
    let sandbox = builder.build().unwrap();
    for source in [
        "Math::Add.call(1)",
        "Math::Add.call(1, 'x')",
        "Math::Add.call(1, 2, z: 3)",
    ] {
        let e = error_of(&sandbox, source);
        assert_eq!(
            failure(&e).details(),
            Some(&Value::Map(vec![(string("type"), string("argument"))])),
            "{source}"
        );
    }
}

#[test]
fn e26_x04_refused_methods_never_reach_the_object() {
    struct ReadOnly(AtomicUsize);
    impl Service for ReadOnly {
        fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(Value::Nil)
        }
        fn allows(&self, method: &str) -> bool {
            method == "get"
        }
    }
    let object = Arc::new(ReadOnly(AtomicUsize::new(0)));
    let mut builder = Sandbox::builder();
    builder.service_arc("S::Ro", object.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    assert!(sandbox.eval("S::Ro.get").is_ok());
    let e = error_of(&sandbox, "S::Ro.delete");
    assert_eq!(
        failure(&e).details(),
        Some(&Value::Map(vec![(string("type"), string("undefined"))]))
    );
    assert!(failure(&e).message().contains("delete") && failure(&e).message().contains("S::Ro"));
    assert_eq!(object.0.load(Ordering::SeqCst), 1);
}

#[test]
fn e27_l04_results_that_cannot_cross_are_runtime_faults() {
    let mut builder = Sandbox::builder().memory_limit(None);
    builder
        .service_fn("S::Deep", || {
            let mut v = serde_json::Value::Null;
            for _ in 0..129 {
                v = serde_json::Value::Array(vec![v]);
            }
            v
        })
        .unwrap();
    builder.service_fn("S::Huge", || "x".repeat(17 << 20)).unwrap();
    let sandbox = builder.build().unwrap();
    for (source, needle) in [("S::Deep.call", "128"), ("S::Huge.call", "16 MiB")] {
        let e = error_of(&sandbox, source);
        assert_eq!(
            failure(&e).details(),
            Some(&Value::Map(vec![(string("type"), string("runtime"))])),
            "{source}"
        );
        assert!(failure(&e).message().contains(needle), "{source}: {e}");
    }
}

#[test]
fn e35_bad_paths_are_usage_errors() {
    let mut builder = Sandbox::builder();
    for path in [
        "foo::Bar",
        "Foo",
        "A::B::C",
        "",
        "Foo::",
        "Ünï::X",
        "Kobako::X",
        "Foo::bar",
    ] {
        let e = builder.service_fn(path, || 1).unwrap_err();
        assert!(e.kind() == ErrorKind::Usage, "{path}: {e:?}");
    }
    // E-36 (binding after the first invocation) cannot be written: a built
    // Sandbox has no binding methods (the compile_fail example on Sandbox).
    assert!(builder.build().unwrap().eval("1").is_ok());
}

#[test]
fn e06_a_malformed_raw_call_is_a_wire_violation() {
    // A 2-element array is not a call.
    let sandbox = Sandbox::builder()
        .guest_wasm_bytes(raw_call_guest("\\92\\01\\02", 3))
        .build()
        .unwrap();
    let e = sandbox.eval("").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap, "{e:?}");
    assert!(e.to_string().contains("wire violation"), "{e}");
    // A call length past the end of memory.
    let sandbox = Sandbox::builder()
        .guest_wasm_bytes(raw_call_guest("", 200_000))
        .build()
        .unwrap();
    assert!(
        sandbox
            .eval("")
            .unwrap_err()
            .to_string()
            .contains("out of bounds")
    );
}

#[test]
fn l01_time_in_services_counts_toward_the_timeout() {
    let mut builder = Sandbox::builder().timeout(Some(Duration::from_millis(100)));
    builder
        .service_fn("S::Slow", || std::thread::sleep(Duration::from_millis(250)))
        .unwrap();
    let sandbox = builder.build().unwrap();
    let e = sandbox.eval("S::Slow.call; 1 + 1").unwrap_err();
    assert!(e.kind() == ErrorKind::Timeout, "{e:?}");
}

#[test]
fn s04_handles_do_not_survive_into_the_next_invocation() {
    let (sandbox, _) = factory_sandbox();
    assert!(sandbox.eval("$c = Objects::Factory.counter; $c.incr").is_ok());
    let e = error_of(&sandbox, "$c.incr");
    assert_eq!(
        failure(&e).klass(),
        Some("NoMethodError"),
        "$c is nil in a fresh interpreter"
    );
}

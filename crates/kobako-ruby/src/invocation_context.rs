//! The Ruby side of one running invocation: its interrupt flag, the Ruby
//! objects it must keep alive, an exception waiting to be re-raised, and
//! how each target's methods are called. Contexts stack per thread, so a
//! service may start another invocation.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Mutex;

use kobako::Interrupt;
use magnus::gc::Marker;
use magnus::prelude::*;
use magnus::rb_sys::AsRawValue;
use magnus::typed_data::Obj;
use magnus::value::{BoxValue, Opaque};
use magnus::{DataTypeFunctions, Error, RClass, RModule, Ruby, TypedData, Value};
use rb_sys::{ID, VALUE};

thread_local! {
    static CURRENT: RefCell<Vec<Rc<InvocationContext>>> = const { RefCell::new(Vec::new()) };
}

/// State shared by an invocation's entry point and the services it calls.
pub(crate) struct InvocationContext {
    interrupt: Interrupt,
    /// Ruby objects that crossed as Capability Handles, the objects bound
    /// for this invocation (and a pending exception), registered with the
    /// GC until the invocation ends.
    pins: BoxValue<Obj<Pins>>,
    /// An exception that must end the invocation and reach the caller
    /// unchanged (a non-StandardError raised inside a service).
    pending: RefCell<Option<Error>>,
    /// The route of each method name called on each target in this
    /// invocation, by the target's address (the target is pinned in `pins`).
    routes: RefCell<HashMap<VALUE, HashMap<Box<str>, Route>>>,
}

/// How the guest's calls of one method on one target are made, as
/// `Kobako::Dispatcher.direct?` decided at the first of them.
#[derive(Clone, Copy)]
pub(crate) enum Route {
    /// The extension calls the method (this ID) itself.
    Direct(ID),
    /// Every call goes through `Kobako::Dispatcher.call`.
    Dispatcher,
}

impl InvocationContext {
    /// The flag that stops this invocation's guest.
    pub(crate) fn interrupt(&self) -> &Interrupt {
        &self.interrupt
    }

    /// Keeps `value` alive (and in place) until the invocation ends.
    pub(crate) fn pin(&self, value: Value) {
        self.pins.lock().push(value.into());
    }

    /// Ends the invocation with `error`: the guest is stopped at its next
    /// execution point and `error` is raised to the caller.
    pub(crate) fn abandon(&self, error: Error) {
        if let Some(exception) = error.value() {
            self.pin(exception);
        }
        let mut pending = self.pending.borrow_mut();
        if pending.is_none() {
            *pending = Some(error);
        }
        self.interrupt.interrupt();
    }

    /// True once the invocation has been abandoned.
    pub(crate) fn is_abandoned(&self) -> bool {
        self.pending.borrow().is_some()
    }

    /// The route decided for `method` on `target` in this invocation, if any.
    pub(crate) fn route(&self, target: Value, method: &str) -> Option<Route> {
        let routes = self.routes.borrow();
        routes.get(&target.as_raw())?.get(method).copied()
    }

    /// Keeps `route` for `method` on `target` until the invocation ends,
    /// with `target` pinned so its address names no other object.
    pub(crate) fn set_route(&self, target: Value, method: &str, route: Route) {
        let mut routes = self.routes.borrow_mut();
        let by_method = routes.entry(target.as_raw()).or_insert_with(|| {
            self.pin(target);
            HashMap::new()
        });
        by_method.insert(method.into(), route);
    }

    /// Takes the exception the invocation was abandoned with.
    pub(crate) fn take_pending(&self) -> Option<Error> {
        self.pending.borrow_mut().take()
    }
}

/// The objects an invocation keeps: its mark function marks them pinned,
/// so GC compaction never moves one whose address the engine holds.
#[derive(TypedData)]
#[magnus(class = "Kobako::Pins", free_immediately, size, mark)]
pub(crate) struct Pins(Mutex<Vec<Opaque<Value>>>);

impl Pins {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Opaque<Value>>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl DataTypeFunctions for Pins {
    fn mark(&self, marker: &Marker) {
        // Taken only by the invocation's own thread, which calls no Ruby
        // while holding it, so it is free whenever the GC runs.
        marker.mark_slice(self.lock().as_slice());
    }
}

/// Defines `Kobako::Pins` (no Ruby code makes one).
pub(crate) fn define(ruby: &Ruby, kobako: RModule) -> Result<(), Error> {
    let class: RClass = kobako.define_class("Pins", ruby.class_object())?;
    class.undef_default_alloc_func();
    Ok(())
}

/// The innermost invocation running on this thread.
pub(crate) fn current() -> Option<Rc<InvocationContext>> {
    CURRENT.with(|stack| stack.borrow().last().cloned())
}

/// Makes a new context the current one until the guard is dropped.
pub(crate) struct Entered(Rc<InvocationContext>);

impl Entered {
    /// Starts a context on this thread (which must hold the GVL).
    pub(crate) fn new(ruby: &Ruby) -> Self {
        let context = Rc::new(InvocationContext {
            interrupt: Interrupt::new(),
            pins: BoxValue::new(ruby.obj_wrap(Pins(Mutex::new(Vec::new())))),
            pending: RefCell::new(None),
            routes: RefCell::new(HashMap::new()),
        });
        CURRENT.with(|stack| stack.borrow_mut().push(context.clone()));
        Entered(context)
    }

    /// The context this guard entered.
    pub(crate) fn context(&self) -> &InvocationContext {
        &self.0
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.with(|stack| {
            let mut stack = stack.borrow_mut();
            if let Some(at) = stack.iter().rposition(|c| Rc::ptr_eq(c, &self.0)) {
                stack.remove(at);
            }
        });
    }
}

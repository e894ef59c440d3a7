//! Releasing and re-acquiring Ruby's Global VM Lock around guest work.
//!
//! While the guest runs, the GVL is released so other Ruby threads progress;
//! Ruby's unblock callback raises the invocation's interrupt flag, which is
//! how `Thread#kill`, `Thread#raise`, `Timeout.timeout` and Ctrl-C stop a
//! running guest. Service calls re-acquire the GVL for their Ruby code.

use std::any::Any;
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use kobako::Interrupt;
use magnus::Ruby;
use rb_sys::{
    Qnil, RB_NOGVL_INTR_FAIL, RB_NOGVL_UBF_ASYNC_SAFE, rb_nogvl, rb_thread_call_with_gvl,
    rb_thread_check_ints,
};

/// Why work handed to Ruby's GVL functions did not produce a result.
pub(crate) enum GvlFailure {
    /// An interrupt was already pending, so Ruby did not run the work.
    InterruptPending,
    /// The work panicked; the panic was stopped before it reached Ruby.
    Panicked,
}

/// The closure and its result, passed through Ruby as one pointer.
struct Job<F, R> {
    work: Option<F>,
    result: Option<Result<R, Box<dyn Any + Send>>>,
}

impl<F: FnOnce() -> R, R> Job<F, R> {
    fn new(work: F) -> Self {
        Job {
            work: Some(work),
            result: None,
        }
    }

    /// Runs the closure once, catching a panic so it never unwinds into C.
    unsafe extern "C" fn run(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `&mut Job<F, R>` that `without_gvl` or
        // `with_gvl` passed in; it outlives the call that runs this.
        let job = unsafe { &mut *data.cast::<Job<F, R>>() };
        if let Some(work) = job.work.take() {
            job.result = Some(catch_unwind(AssertUnwindSafe(work)));
        }
        std::ptr::null_mut()
    }

    fn outcome(self) -> Result<R, GvlFailure> {
        match self.result {
            Some(Ok(value)) => Ok(value),
            Some(Err(_)) => Err(GvlFailure::Panicked),
            None => Err(GvlFailure::InterruptPending),
        }
    }
}

/// Ruby's unblock callback: raises the interrupt flag it was given.
unsafe extern "C" fn unblock(data: *mut c_void) {
    // SAFETY: `data` is the `&Interrupt` passed by `without_gvl`, which
    // stays borrowed until the blocking region (and so this callback) ends.
    let interrupt = unsafe { &*data.cast::<Interrupt>() };
    interrupt.interrupt();
}

/// Runs `work` with the GVL released; an interrupt from Ruby raises
/// `interrupt`. Must be called from a Ruby thread that holds the GVL; the
/// caller checks Ruby's pending interrupts afterwards.
pub(crate) fn without_gvl<R>(interrupt: &Interrupt, work: impl FnOnce() -> R) -> Result<R, GvlFailure> {
    let mut job = Job::new(work);
    let data = std::ptr::from_mut(&mut job).cast::<c_void>();
    let unblock_data = std::ptr::from_ref(interrupt).cast_mut().cast::<c_void>();
    // Fail at once when an interrupt is pending (the caller delivers it),
    // and let Ruby call `unblock` directly, even from a signal handler: it
    // only stores to an atomic. Without the second flag a single-threaded
    // Ruby would start a helper thread for every call.
    let flags = (RB_NOGVL_INTR_FAIL | RB_NOGVL_UBF_ASYNC_SAFE) as i32;
    // SAFETY: both pointers stay valid for the whole call (they borrow
    // locals of this frame); `Job::run` never unwinds and touches no Ruby
    // object, and `unblock` only sets an atomic flag.
    unsafe {
        rb_nogvl(Some(job_runner(&job)), data, Some(unblock), unblock_data, flags);
    }
    job.outcome()
}

/// Runs `work` with the GVL held, from a thread that released it in
/// [`without_gvl`]. Every Ruby call inside must be protected (magnus calls
/// are), so no Ruby exception unwinds through this frame.
pub(crate) fn with_gvl<R>(work: impl FnOnce() -> R) -> Result<R, GvlFailure> {
    let mut job = Job::new(work);
    let data = std::ptr::from_mut(&mut job).cast::<c_void>();
    // SAFETY: `data` borrows a local of this frame for the whole call, and
    // `Job::run` never unwinds.
    unsafe {
        rb_thread_call_with_gvl(Some(job_runner(&job)), data);
    }
    job.outcome()
}

/// The C entry point for a job of this type.
fn job_runner<F: FnOnce() -> R, R>(_job: &Job<F, R>) -> unsafe extern "C" fn(*mut c_void) -> *mut c_void {
    Job::<F, R>::run
}

/// Runs `work` with the GVL released, first delivering any interrupt Ruby
/// has pending (raised as the returned error, never across this frame).
pub(crate) fn blocking<R>(
    ruby: &Ruby,
    interrupt: &Interrupt,
    work: impl FnOnce() -> R,
) -> Result<R, magnus::Error> {
    let mut work = Some(work);
    loop {
        match without_gvl(interrupt, || work.take().map(|f| f())) {
            Ok(Some(value)) => return Ok(value),
            Ok(None) | Err(GvlFailure::Panicked) => return Err(internal_error(ruby)),
            // Nothing ran: deliver the interrupt, or try again if Ruby had
            // nothing to raise.
            Err(GvlFailure::InterruptPending) => check_interrupts()?,
        }
    }
}

/// Delivers Ruby's pending interrupts (`Thread#raise`, `Thread#kill`,
/// signals) as an error instead of a jump through Rust frames.
pub(crate) fn check_interrupts() -> Result<(), magnus::Error> {
    magnus::rb_sys::protect(|| {
        // SAFETY: called with the GVL held; a raise is caught by `protect`.
        unsafe { rb_thread_check_ints() };
        Qnil as rb_sys::VALUE
    })
    .map(|_| ())
}

fn internal_error(ruby: &Ruby) -> magnus::Error {
    magnus::Error::new(
        ruby.exception_runtime_error(),
        "kobako: the sandbox work failed inside the native extension",
    )
}

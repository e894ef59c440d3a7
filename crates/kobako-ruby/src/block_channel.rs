//! The guest's block as seen from Ruby: `Kobako::BlockChannel`, valid only
//! during the service call that received it, on the thread that made it.

use std::ptr::NonNull;
use std::sync::Mutex;
use std::thread::ThreadId;

use kobako::{Block, BlockError};
use magnus::typed_data::Obj;
use magnus::{Error, RArray, Ruby};

use crate::gvl;
use crate::invocation_context;
use crate::value_conversion::{Objects, ToWire, to_ruby};

/// A pointer to the dispatch's block, cleared when the dispatch returns.
struct BlockRef(NonNull<Block<'static>>);

// SAFETY: the pointer is only dereferenced on the thread that created the
// channel (checked in `call`) while the dispatch that owns the block is
// still running there.
unsafe impl Send for BlockRef {}

/// Ruby's handle on a guest block during one service call.
#[magnus::wrap(class = "Kobako::BlockChannel", free_immediately, size)]
pub(crate) struct BlockChannel {
    block: Mutex<Option<BlockRef>>,
    thread: ThreadId,
}

impl BlockChannel {
    /// A channel for `block`; [`close`](Self::close) it before the dispatch
    /// that owns the block returns.
    pub(crate) fn open(ruby: &Ruby, block: &mut Block<'_>) -> Obj<BlockChannel> {
        let pointer = NonNull::from(block).cast::<Block<'static>>();
        ruby.obj_wrap(BlockChannel {
            block: Mutex::new(Some(BlockRef(pointer))),
            thread: std::thread::current().id(),
        })
    }

    /// Makes every later call raise `LocalJumpError`.
    pub(crate) fn close(&self) {
        *self.block.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// Runs the guest block with `args`: `[:value, v]`, or `[:break]` when
    /// the block ran `break` (or the guest was stopped) and the service
    /// must return at once.
    pub(crate) fn call(ruby: &Ruby, rb_self: &Self, args: RArray) -> Result<RArray, Error> {
        if std::thread::current().id() != rb_self.thread {
            return Err(Error::new(
                ruby.exception_thread_error(),
                "a guest block can only be called on the thread of its service call",
            ));
        }
        let Some(context) = invocation_context::current() else {
            return Err(local_jump(ruby));
        };
        // Taken out while the block runs, so a re-entrant call cannot alias it.
        let Some(block_ref) = rb_self.lock().take() else {
            return Err(local_jump(ruby));
        };
        let reply = run_block(ruby, &context, &block_ref, args);
        *rb_self.lock() = Some(block_ref);
        reply
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<BlockRef>> {
        self.block.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn run_block(
    ruby: &Ruby,
    context: &invocation_context::InvocationContext,
    block_ref: &BlockRef,
    args: RArray,
) -> Result<RArray, Error> {
    let values = ToWire::new(ruby, Objects::Refuse, context)
        .convert_all(args)
        .map_err(|problem| problem.to_ruby_error(ruby, "yield arguments", true))?;
    let mut pointer = block_ref.0;
    // SAFETY: the channel is open, so the dispatch that owns the block is
    // still running on this thread, and the block was taken out of the
    // channel, so this is its only live reference.
    let block = unsafe { pointer.as_mut() };
    let result = gvl::blocking(ruby, context.interrupt(), || block.call(values))?;
    match result {
        Ok(value) => {
            let reply = ruby.ary_new();
            reply.push(ruby.to_symbol("value"))?;
            reply.push(to_ruby(ruby, &value))?;
            Ok(reply)
        }
        Err(BlockError::Break | BlockError::Aborted) => {
            let reply = ruby.ary_new();
            reply.push(ruby.to_symbol("break"))?;
            Ok(reply)
        }
        Err(BlockError::Raised { class, message }) => Err(Error::new(
            ruby.exception_runtime_error(),
            format!("{class}: {message}"),
        )),
        Err(BlockError::Spent) => Err(Error::new(
            ruby.exception_local_jump_error(),
            "LocalJumpError: the guest block already ran break",
        )),
        Err(other) => Err(Error::new(ruby.exception_arg_error(), other.to_string())),
    }
}

fn local_jump(ruby: &Ruby) -> Error {
    Error::new(
        ruby.exception_local_jump_error(),
        "the guest block can only be called during the service call that received it",
    )
}

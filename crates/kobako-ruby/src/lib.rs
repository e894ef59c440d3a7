//! The native extension of the `kobako` gem: `Kobako::Sandbox` over the
//! kobako crate, so untrusted Ruby runs in mruby/WebAssembly while Ruby
//! objects serve as its Services.

mod block_channel;
mod error_classes;
mod gvl;
mod invocation_context;
mod ruby_constants;
mod ruby_service;
mod sandbox_class;
mod value_conversion;

use magnus::prelude::*;
use magnus::{Error, Ruby, method};

use crate::block_channel::BlockChannel;

#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let kobako = ruby.define_module("Kobako")?;
    ruby_constants::init(ruby, kobako)?;
    invocation_context::define(ruby, kobako)?;
    sandbox_class::define(ruby, kobako)?;
    let channel = kobako.define_class("BlockChannel", ruby.class_object())?;
    channel.undef_default_alloc_func();
    channel.define_method("call", method!(BlockChannel::call, 1))?;
    Ok(())
}

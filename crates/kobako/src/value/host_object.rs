//! Host objects that cross as Capability Handles.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::Service;

/// A host object that crosses as a Capability Handle: the guest can call its
/// methods (it is a [`Service`]) but never see inside it. Equality is
/// identity (the same allocation).
#[derive(Clone)]
pub struct HostObject(Arc<dyn Service>);

impl HostObject {
    /// Wraps a service object.
    pub fn new(service: impl Service) -> Self {
        HostObject(Arc::new(service))
    }

    /// Wraps a shared service object without copying it.
    pub fn from_arc(service: Arc<dyn Service>) -> Self {
        HostObject(service)
    }

    /// The object as a service, to call it.
    pub fn service(&self) -> &Arc<dyn Service> {
        &self.0
    }

    /// The object as its concrete type, if it is a `T`.
    pub fn downcast_ref<T: Service>(&self) -> Option<&T> {
        (self.0.as_ref() as &dyn Any).downcast_ref()
    }

    /// True when both are the same object.
    pub fn ptr_eq(&self, other: &HostObject) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for HostObject {
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other)
    }
}

impl fmt::Debug for HostObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostObject({:p})", Arc::as_ptr(&self.0))
    }
}

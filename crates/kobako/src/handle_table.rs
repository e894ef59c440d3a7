//! The Capability Handles of one invocation: host objects the guest holds
//! by id. Ids count up from 1, are never reused, and die with the
//! invocation.

use crate::value::HostObject;

/// The largest id an invocation may issue.
pub(crate) const HANDLE_ID_MAX: u32 = 0x7fff_ffff;

pub(crate) struct HandleTable {
    first_id: u32,
    objects: Vec<HostObject>,
}

/// The table has no ids left.
#[derive(Debug)]
pub(crate) struct HandlesExhausted;

impl HandleTable {
    /// A table whose first id is `first_id` (1, except in tests that start
    /// near the cap).
    pub(crate) fn new(first_id: u32) -> Self {
        HandleTable {
            first_id: first_id.max(1),
            objects: Vec::new(),
        }
    }

    /// Issues the next id for `object`; the same object twice gets two ids.
    pub(crate) fn issue(&mut self, object: &HostObject) -> Result<u32, HandlesExhausted> {
        let id = u64::from(self.first_id) + self.objects.len() as u64;
        if id > u64::from(HANDLE_ID_MAX) {
            return Err(HandlesExhausted);
        }
        self.objects.push(object.clone());
        Ok(id as u32)
    }

    /// The object behind a live id.
    pub(crate) fn get(&self, id: u32) -> Option<&HostObject> {
        let index = id.checked_sub(self.first_id)?;
        self.objects.get(index as usize)
    }
}

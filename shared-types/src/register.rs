//! Last-writer-wins register.

use serde::{Deserialize, Serialize};

use crate::hlc::Hlc;

/// A value and the clock of the write that set it. Two registers merge to the one with the greater
/// clock; on an exact clock tie (only a buggy or hostile writer reuses a timestamp) the greater value
/// wins, so the result never depends on the order replicas met the writes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Register<T> {
    pub value: T,
    pub hlc: Hlc,
}

impl<T: Ord + Clone> Register<T> {
    pub fn new(value: T, hlc: Hlc) -> Self {
        Register { value, hlc }
    }

    /// Keep whichever of `self` and `other` wins. Returns true if `self` changed.
    pub fn merge(&mut self, other: &Register<T>) -> bool {
        if (&other.hlc, &other.value) > (&self.hlc, &self.value) {
            *self = other.clone();
            true
        } else {
            false
        }
    }
}

//! Long work reports progress to a sink, which may answer "stop".

use vocwb_types::ProgressEvent;

/// Receives progress of long work. Returning `false` asks the work to stop; it then rolls back
/// and returns [`crate::Error::Cancelled`].
pub trait Progress: Sync {
    fn report(&self, event: &ProgressEvent) -> bool;
}

/// Ignores progress and never cancels.
pub struct Silent;

impl Progress for Silent {
    fn report(&self, _: &ProgressEvent) -> bool {
        true
    }
}

impl<F: Fn(&ProgressEvent) -> bool + Sync> Progress for F {
    fn report(&self, event: &ProgressEvent) -> bool {
        self(event)
    }
}

//! Commands of the train screen.

//! Commands of the label screen.

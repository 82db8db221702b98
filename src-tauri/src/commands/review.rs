//! Commands of the review screen.

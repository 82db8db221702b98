//! Tests of the search crate through its public API, on indexes built in temporary folders.

mod search;
mod tokenize;

//! Commands of the lexicon screen.

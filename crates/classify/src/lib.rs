//! The VoC Workbench local classifier: codes with their polarity, learnt from a project's own
//! human labels, on the CPU, with no pretrained model.
//!
//! It takes plain data (texts, (code id, polarity) labels, lexicon terms) and never touches
//! SQLite; `vocwb_engine::model` reads the project and stores predictions.
//!
//! - [`features`]: normalisation, char n-grams and jieba words, a `tokenizers` WordLevel
//!   vocabulary trained on the project's texts.
//! - [`linear`]: the SVM solver; [`calibrate`]: Platt/softmax calibration and thresholds;
//!   [`boost`]: gradient-boosted trees, a second stacker beside each code's calibration.
//! - [`cnn`]: a TextCNN in candle (embeddings, filters of several widths, max-pooling, one
//!   sigmoid per code) that reads word order; one reads characters, one jieba words, and their
//!   logits join the SVMs' scores in the stacked code calibrations.
//! - [`model`]: training with cross-fitting, prediction, active-learning uncertainty; the
//!   F1-rule threshold, one for all codes, maximises the mean of code and pair micro-F1 out of
//!   fold.
//! - [`store`]: the model directory (`weights.safetensors`, `tokenizer.json`, `boost.json`,
//!   `card.json`).
//! - [`metrics`]: code and (code, polarity) pair F1, scored like the shared baselines.
//!
//! **Limitations:** one polarity per code per verbatim; codes are predicted independently
//! (the frame's hierarchy is not used); no pretrained embeddings, so unseen synonyms are only
//! caught through shared characters or the lexicon.

pub mod boost;
pub mod calibrate;
pub mod cnn;
pub mod error;
pub mod features;
pub mod linear;
pub mod metrics;
pub mod model;
pub mod store;

pub use error::{Error, Result};
pub use metrics::{evaluate, EvalReport};
pub use model::{
    train, CodeCard, CodePrediction, DecisionRule, Example, LexiconEntry, Model, ModelCard, Prediction, TrainEvent,
    TrainOptions, TrainSet,
};

/// Version of the model directory layout: 3 adds the word CNN, 4 averages several char CNNs,
/// 5 adds each net's best other logit to the stacked calibration, 6 the boosted trees.
pub const FORMAT: u32 = 6;

/// The oldest layout this build reads: format-2 models (no word CNN) predict as they did.
pub const OLDEST_FORMAT: u32 = 2;

/// Codes with fewer labelled verbatims than this are flagged as too few in the card.
pub const TOO_FEW: usize = 30;

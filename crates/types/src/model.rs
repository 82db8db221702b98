//! What a trained model reports about itself, as the CLI, the shell and the window show it.

use serde::{Deserialize, Serialize};

/// Out-of-fold validation of a model (cross-fitting on its training labels, F1 decision rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationSummary {
    pub code_micro_f1: f64,
    pub code_macro_f1: f64,
    pub pair_micro_f1: f64,
    pub polarity_accuracy: f64,
    /// Expected calibration error of the code probabilities, before (sigmoid of the raw
    /// score) and after calibration.
    pub ece_raw: f64,
    pub ece_calibrated: f64,
}

//! The model directory: `weights.safetensors` (candle tensors), `tokenizer.json` (the trained
//! vocabulary) and `card.json` (the model card plus calibration).
//!
//! A loaded model predicts exactly what the saved one did: every number that prediction uses
//! is in these three files.

use crate::calibrate::{Platt, Softmax};
use crate::error::{Error, Result};
use crate::features::{Extractor, Featurizer};
use crate::model::{Model, ModelCard, PolarityModel};
use candle_core::{Device, Tensor};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use tokenizers::Tokenizer;

pub const WEIGHTS_FILE: &str = "weights.safetensors";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const CARD_FILE: &str = "card.json";

#[derive(Serialize, Deserialize)]
struct CardFile {
    card: ModelCard,
    codes: Vec<String>,
    code_calibration: Vec<Platt>,
    polarity_calibration: Softmax,
}

fn matrix(rows: &[Vec<f32>]) -> Result<Tensor> {
    let cols = rows.first().map_or(0, Vec::len);
    let flat: Vec<f32> = rows.iter().flatten().copied().collect();
    Ok(Tensor::from_vec(flat, (rows.len(), cols), &Device::Cpu)?)
}

fn ragged(lists: &[Vec<u32>]) -> Result<(Tensor, Tensor)> {
    let mut offsets = vec![0i64];
    let mut flat = Vec::new();
    for l in lists {
        flat.extend(l.iter().map(|&v| v as i64));
        offsets.push(flat.len() as i64);
    }
    let n = flat.len();
    Ok((Tensor::from_vec(flat, n, &Device::Cpu)?, Tensor::from_vec(offsets, lists.len() + 1, &Device::Cpu)?))
}

fn unragged(flat: &Tensor, offsets: &Tensor) -> Result<Vec<Vec<u32>>> {
    let flat = flat.to_vec1::<i64>()?;
    let offsets = offsets.to_vec1::<i64>()?;
    Ok(offsets.windows(2).map(|w| flat[w[0] as usize..w[1] as usize].iter().map(|&v| v as u32).collect()).collect())
}

impl Model {
    /// Writes the model into `dir` (created if needed).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        tensors.insert("idf".into(), Tensor::from_vec(self.featurizer.idf.clone(), self.featurizer.idf.len(), &Device::Cpu)?);
        tensors.insert("unknown_idf".into(), Tensor::from_vec(vec![self.featurizer.unknown_idf], 1, &Device::Cpu)?);
        tensors.insert("code_weights".into(), matrix(&self.code_weights)?);
        tensors.insert("polarity_weights".into(), matrix(&self.polarity.weights)?);
        let keys: Vec<i64> = self.polarity.cross_keys.iter().map(|&k| k as i64).collect();
        let n = keys.len();
        tensors.insert("cross_keys".into(), Tensor::from_vec(keys, n, &Device::Cpu)?);
        let (flat, offsets) = ragged(&self.cues)?;
        tensors.insert("cues".into(), flat);
        tensors.insert("cue_offsets".into(), offsets);
        let (flat, offsets) = ragged(&self.lexicon_cues)?;
        tensors.insert("lexicon_cues".into(), flat);
        tensors.insert("lexicon_cue_offsets".into(), offsets);
        if let Some(nn) = &self.neural {
            let feats: Vec<i64> = nn.features.iter().map(|&f| f as i64).collect();
            let n = feats.len();
            tensors.insert("nn_features".into(), Tensor::from_vec(feats, n, &Device::Cpu)?);
            let shape = vec![nn.hidden as i64, nn.codes as i64, nn.classes as i64];
            tensors.insert("nn_shape".into(), Tensor::from_vec(shape, 3, &Device::Cpu)?);
            for (name, v) in [("nn_emb", &nn.emb), ("nn_b1", &nn.b1), ("nn_wc", &nn.wc), ("nn_bc", &nn.bc), ("nn_wp", &nn.wp), ("nn_wpc", &nn.wpc), ("nn_bp", &nn.bp)] {
                tensors.insert(name.into(), Tensor::from_vec(v.clone(), v.len(), &Device::Cpu)?);
            }
        }
        let weights = dir.join(WEIGHTS_FILE);
        candle_core::safetensors::save(&tensors, &weights)?;
        let tok = dir.join(TOKENIZER_FILE);
        self.tokenizer.save(&tok, false).map_err(|e| Error::file(&tok, e.to_string()))?;
        let card = CardFile {
            card: self.card.clone(),
            codes: self.codes.clone(),
            code_calibration: self.code_calibration.clone(),
            polarity_calibration: self.polarity.calibration.clone(),
        };
        let path = dir.join(CARD_FILE);
        let json = serde_json::to_string_pretty(&card).map_err(|e| Error::file(&path, e.to_string()))?;
        std::fs::write(&path, json).map_err(|e| Error::io(&path, e))?;
        Ok(())
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(dir: &Path) -> Result<Model> {
        let path = dir.join(CARD_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let file: CardFile = serde_json::from_str(&text).map_err(|e| Error::file(&path, e.to_string()))?;
        if file.card.format != crate::FORMAT {
            return Err(Error::file(&path, format!("model format {} (this build reads {})", file.card.format, crate::FORMAT)));
        }
        let tok = dir.join(TOKENIZER_FILE);
        let tokenizer = Tokenizer::from_file(&tok).map_err(|e| Error::file(&tok, e.to_string()))?;
        let weights = dir.join(WEIGHTS_FILE);
        let t = candle_core::safetensors::load(&weights, &Device::Cpu)?;
        let get = |name: &str| t.get(name).ok_or_else(|| Error::file(&weights, format!("no tensor '{name}'")));
        let mut featurizer = Featurizer::new(Extractor::new(file.card.options.features.clone()), &tokenizer);
        let idf = get("idf")?.to_vec1::<f32>()?;
        if idf.len() != featurizer.dim() {
            return Err(Error::file(&weights, "the IDF does not match the tokenizer's vocabulary"));
        }
        featurizer.idf = idf;
        featurizer.unknown_idf = get("unknown_idf")?.to_vec1::<f32>()?[0];
        let code_weights = get("code_weights")?.to_vec2::<f32>()?;
        let polarity_weights = get("polarity_weights")?.to_vec2::<f32>()?;
        let cross_keys = get("cross_keys")?.to_vec1::<i64>()?.into_iter().map(|k| k as u64).collect();
        let cues = unragged(get("cues")?, get("cue_offsets")?)?;
        let lexicon_cues = unragged(get("lexicon_cues")?, get("lexicon_cue_offsets")?)?;
        if code_weights.len() != file.codes.len() || cues.len() != file.codes.len() {
            return Err(Error::file(&weights, "the weights do not match the card's codes"));
        }
        // Models saved before the neural model have no `nn_*` tensors and predict without it.
        let neural = match t.get("nn_shape") {
            None => None,
            Some(shape) => {
                let shape = shape.to_vec1::<i64>()?;
                let f = |name: &str| -> Result<Vec<f32>> { Ok(get(name)?.to_vec1::<f32>()?) };
                let features = get("nn_features")?.to_vec1::<i64>()?.into_iter().map(|v| v as u32).collect();
                let (h, c, k) = (shape[0] as usize, shape[1] as usize, shape[2] as usize);
                let nn = crate::neural::Neural::from_parts(
                    features, featurizer.dim(), h, c, k, f("nn_emb")?, f("nn_b1")?, f("nn_wc")?, f("nn_bc")?, f("nn_wp")?, f("nn_wpc")?, f("nn_bp")?,
                );
                match nn {
                    Some(nn) if c == file.codes.len() => Some(nn),
                    _ => return Err(Error::file(&weights, "the neural weights do not match the card")),
                }
            }
        };
        Ok(Model {
            neural,
            code_t: crate::model::transpose(&code_weights),
            polarity_t: crate::model::transpose(&polarity_weights),
            polarity: PolarityModel {
                classes: file.card.polarities.clone(),
                weights: polarity_weights,
                cross_keys,
                calibration: file.polarity_calibration,
            },
            card: file.card,
            tokenizer,
            featurizer,
            codes: file.codes,
            code_weights,
            code_calibration: file.code_calibration,
            cues,
            lexicon_cues,
        })
    }
}

//! The model directory: `weights.safetensors` (candle tensors), `tokenizer.json` (the trained
//! vocabulary) and `card.json` (the model card plus calibration).
//!
//! A loaded model predicts exactly what the saved one did: every number that prediction uses
//! is in these three files.

use crate::calibrate::{Platt, Softmax};
use crate::cnn::Cnn;
use crate::error::{Error, Result};
use crate::features::{Extractor, Featurizer};
use crate::model::{Boosted, Model, ModelCard, PolarityModel};
use candle_core::{Device, Tensor};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use tokenizers::Tokenizer;

pub const WEIGHTS_FILE: &str = "weights.safetensors";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const CARD_FILE: &str = "card.json";
/// The boosted-trees stacker (format 6 on, when trained with it).
pub const BOOST_FILE: &str = "boost.json";

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

/// Stores a CNN's tensors under `{prefix}_…`.
fn put_cnn(tensors: &mut HashMap<String, Tensor>, prefix: &str, cnn: &Cnn) -> Result<()> {
    let ints = |v: Vec<i64>| {
        let n = v.len();
        Tensor::from_vec(v, n, &Device::Cpu)
    };
    let flat = |v: &Vec<f32>| Tensor::from_vec(v.clone(), v.len(), &Device::Cpu);
    tensors.insert(format!("{prefix}_vocab"), ints(cnn.vocab.iter().map(|&c| c as i64).collect())?);
    tensors.insert(format!("{prefix}_shape"), ints(vec![cnn.embedding as i64, cnn.filters as i64, cnn.max_units as i64, cnn.codes as i64])?);
    tensors.insert(format!("{prefix}_widths"), ints(cnn.widths.iter().map(|&k| k as i64).collect())?);
    tensors.insert(format!("{prefix}_emb"), flat(&cnn.emb)?);
    for (i, (w, b)) in cnn.conv_w.iter().zip(&cnn.conv_b).enumerate() {
        tensors.insert(format!("{prefix}_conv_w{i}"), flat(w)?);
        tensors.insert(format!("{prefix}_conv_b{i}"), flat(b)?);
    }
    tensors.insert(format!("{prefix}_out_w"), flat(&cnn.out_w)?);
    tensors.insert(format!("{prefix}_out_b"), flat(&cnn.out_b)?);
    Ok(())
}

/// Reads the CNN stored under `{prefix}_…`, if the file has one; it must predict `codes` codes.
fn get_cnn(t: &HashMap<String, Tensor>, weights: &Path, prefix: &str, codes: usize) -> Result<Option<Cnn>> {
    let Some(shape) = t.get(&format!("{prefix}_shape")) else { return Ok(None) };
    let get = |name: String| t.get(&name).ok_or_else(|| Error::file(weights, format!("no tensor '{name}'")));
    let f = |name: String| -> Result<Vec<f32>> { Ok(get(name)?.to_vec1::<f32>()?) };
    let ints = |name: String| -> Result<Vec<i64>> { Ok(get(name)?.to_vec1::<i64>()?) };
    let shape = shape.to_vec1::<i64>()?;
    let [e, filters, max_units, n_codes] = shape[..] else {
        return Err(Error::file(weights, format!("the {prefix} shape has not four numbers")));
    };
    let vocab: Vec<u32> = ints(format!("{prefix}_vocab"))?.into_iter().map(|c| c as u32).collect();
    let widths: Vec<usize> = ints(format!("{prefix}_widths"))?.into_iter().map(|k| k as usize).collect();
    let conv_w = (0..widths.len()).map(|i| f(format!("{prefix}_conv_w{i}"))).collect::<Result<Vec<_>>>()?;
    let conv_b = (0..widths.len()).map(|i| f(format!("{prefix}_conv_b{i}"))).collect::<Result<Vec<_>>>()?;
    let cnn = Cnn::from_parts(
        vocab,
        e as usize,
        filters as usize,
        widths,
        max_units as usize,
        n_codes as usize,
        f(format!("{prefix}_emb"))?,
        conv_w,
        conv_b,
        f(format!("{prefix}_out_w"))?,
        f(format!("{prefix}_out_b"))?,
    );
    match cnn {
        Some(cnn) if n_codes as usize == codes => Ok(Some(cnn)),
        _ => Err(Error::file(weights, format!("the {prefix} weights do not match the card"))),
    }
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
        for (i, cnn) in self.cnns.iter().enumerate() {
            put_cnn(&mut tensors, &format!("cnn_f{i}"), cnn)?;
        }
        if let Some(cnn) = &self.word_cnn {
            put_cnn(&mut tensors, "word_cnn", cnn)?;
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
        let path = dir.join(BOOST_FILE);
        match &self.boosted {
            Some(boosted) => {
                let json = serde_json::to_string(boosted).map_err(|e| Error::file(&path, e.to_string()))?;
                std::fs::write(&path, json).map_err(|e| Error::io(&path, e))?;
            }
            None if path.exists() => std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?,
            None => {}
        }
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
        if !(crate::OLDEST_FORMAT..=crate::FORMAT).contains(&file.card.format) {
            let reads = format!("{}–{}", crate::OLDEST_FORMAT, crate::FORMAT);
            return Err(Error::file(&path, format!("model format {} (this build reads {reads}): train the model again", file.card.format)));
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
        // The averaged char CNNs; up to format 3, one final model under `cnn`.
        let mut cnns: Vec<Cnn> = get_cnn(&t, &weights, "cnn", file.codes.len())?.into_iter().collect();
        while let Some(cnn) = get_cnn(&t, &weights, &format!("cnn_f{}", cnns.len()), file.codes.len())? {
            cnns.push(cnn);
        }
        let word_cnn = get_cnn(&t, &weights, "word_cnn", file.codes.len())?;
        // Format 6 adds the boosted trees; older cards read `boost` as its default.
        let boosted = if file.card.format >= 6 && file.card.options.boost.enabled {
            let path = dir.join(BOOST_FILE);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let boosted: Boosted = serde_json::from_str(&text).map_err(|e| Error::file(&path, e.to_string()))?;
            if boosted.forests.len() != file.codes.len() {
                return Err(Error::file(&path, "the boosted trees do not match the card's codes"));
            }
            Some(boosted)
        } else {
            None
        };
        // The nets' projection tables, one per core, so that the first predictions run at speed.
        cnns.iter().chain(&word_cnn).collect::<Vec<_>>().par_iter().for_each(|cnn| cnn.prepare());
        let model = Model {
            cnns,
            word_cnn,
            boosted,
            code_t: crate::model::transpose(&code_weights),
            polarity_t: crate::model::transpose(&polarity_weights),
            polarity: PolarityModel::new(file.card.polarities.clone(), polarity_weights, cross_keys, file.polarity_calibration),
            card: file.card,
            tokenizer,
            featurizer,
            codes: file.codes,
            code_weights,
            code_calibration: file.code_calibration,
            cues,
            lexicon_cues,
        };
        // Likewise the crossed-key index of the polarity model.
        model.polarity.cross_index();
        Ok(model)
    }
}

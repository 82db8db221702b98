use super::{made_up, small_options, train_set};
use vocwb_classify::calibrate::{ece, sigmoid};
use vocwb_classify::cnn::CnnParams;
use vocwb_classify::boost::BoostParams;
use vocwb_classify::{train, DecisionRule, Error, TrainEvent, TrainOptions};

#[test]
fn learns_a_small_made_up_set() {
    let model = train(&train_set(made_up(240, 1)), &small_options(), &mut |_| true).unwrap();
    let test = made_up(120, 99);
    let r = model.evaluate(&test, DecisionRule::F1);
    // A random model would score about 0.4 on codes and 0.15 on pairs.
    assert!(r.code_micro_f1 > 0.95, "code micro-F1 {}", r.code_micro_f1);
    assert!(r.pair_micro_f1 > 0.85, "pair micro-F1 {}", r.pair_micro_f1);
    // The polarity comes from the code's own clause, not the other code's.
    let p = model.predict("动力很猛，后排太挤，");
    let pol = |c: &str| p.codes.iter().find(|x| x.code_id == c).map(|x| x.polarity);
    assert_eq!(pol("power"), Some(vocwb_types::Polarity::Delight));
    assert_eq!(pol("space"), Some(vocwb_types::Polarity::Pain));
    assert_eq!(model.card.codes.len(), 3);
    assert!(model.card.codes.iter().all(|c| c.label_count > 50 && c.threshold_f1 > 0.0));
}

#[test]
fn same_seed_same_model() {
    let set = train_set(made_up(150, 2));
    let a = train(&set, &small_options(), &mut |_| true).unwrap();
    let b = train(&set, &small_options(), &mut |_| true).unwrap();
    let texts: Vec<String> = made_up(40, 3).into_iter().map(|e| e.text).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_eq!(a.predict_many(&refs), b.predict_many(&refs));
    assert_eq!(a.card.validation, b.card.validation);
}

#[test]
fn save_and_load_give_identical_predictions() {
    let model = train(&train_set(made_up(150, 4)), &small_options(), &mut |_| true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    for f in ["weights.safetensors", "tokenizer.json", "card.json"] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let loaded = vocwb_classify::Model::load(dir.path()).unwrap();
    let texts: Vec<String> = made_up(40, 5).into_iter().map(|e| e.text).chain(["完全没见过的字".to_string()]).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_eq!(model.predict_many(&refs), loaded.predict_many(&refs));
    assert_eq!(model.card, loaded.card);
}

#[test]
fn calibration_lowers_expected_calibration_error_on_a_validation_split() {
    // Noisy labels: a fifth of the verbatims carry a random extra code, so probabilities matter.
    let mut examples = made_up(300, 6);
    for (i, e) in examples.iter_mut().enumerate() {
        if i % 5 == 0 && !e.labels.iter().any(|l| l.0 == "price") {
            e.labels.push(("price".into(), vocwb_types::Polarity::Neutral));
        }
    }
    let (train_part, validation) = examples.split_at(200);
    let model = train(&train_set(train_part.to_vec()), &small_options(), &mut |_| true).unwrap();
    let (mut raw, mut calibrated, mut truth) = (Vec::new(), Vec::new(), Vec::new());
    for e in validation {
        let scores = model.raw_scores(&e.text);
        let probs = model.probabilities(&e.text);
        for (c, code) in model.codes().iter().enumerate() {
            raw.push(sigmoid(scores[c] as f64) as f32);
            calibrated.push(probs[c]);
            truth.push(e.labels.iter().any(|l| &l.0 == code));
        }
    }
    let (before, after) = (ece(&raw, &truth, 10), ece(&calibrated, &truth, 10));
    assert!(after < before, "ECE before {before:.4}, after {after:.4}");
    assert!(model.card.validation.ece_calibrated < model.card.validation.ece_raw);
}

#[test]
fn training_reports_progress_and_can_be_cancelled() {
    let set = train_set(made_up(90, 7));
    let mut events: Vec<TrainEvent> = Vec::new();
    train(&set, &small_options(), &mut |e| {
        events.push(e.clone());
        true
    })
    .unwrap();
    let stages: Vec<&str> = events.iter().map(|e| e.stage.as_str()).collect();
    // The SVM folds, then one event per CNN epoch (the char CNN's 3 fold models, the word CNN's
    // 3 and its final one), then the boosted trees and the end.
    assert_eq!(stages[..4], ["features", "fold", "fold", "fold"]);
    assert_eq!(stages[stages.len() - 2..], ["stack", "final"]);
    let cnn: Vec<&TrainEvent> = events.iter().filter(|e| e.stage == "cnn").collect();
    assert_eq!(cnn.len() + 6, events.len());
    assert!(cnn.len() >= 7, "every CNN reports its epochs: {}", cnn.len());
    let total = events[0].epochs;
    assert!(events[1..].windows(2).all(|w| w[0].epoch < w[1].epoch && w[1].epochs == total), "progress only moves forward");
    assert_eq!(events.last().unwrap().epoch, total);
    assert!(events[1..].iter().all(|e| e.loss.is_finite() && (e.stage == "cnn" || e.stage == "stack" || e.val_f1.is_some())));
    // Cancelling in the SVM folds, in the CNN epochs and after the boosted trees.
    for stop_at in ["fold", "cnn", "stack"] {
        let cancelled = train(&set, &small_options(), &mut |e| e.stage != stop_at);
        assert!(matches!(cancelled, Err(Error::Cancelled)), "cancel at {stop_at}");
    }
}

#[test]
fn uncertainty_is_higher_for_off_topic_text() {
    let model = train(&train_set(made_up(200, 8)), &small_options(), &mut |_| true).unwrap();
    let clear = model.predict("动力很猛，推背感强，");
    let vague = model.predict("今天天气不错。");
    assert!(vague.uncertainty > clear.uncertainty, "{} vs {}", vague.uncertainty, clear.uncertainty);
}

/// Code micro-F1 at 0.5 of one of the model's own probability functions.
fn f1_of(model: &vocwb_classify::Model, probabilities: impl Fn(&str) -> Vec<f32>) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for e in made_up(120, 12) {
        let p = probabilities(&e.text);
        for (c, code) in model.codes().iter().enumerate() {
            match (p[c] >= 0.5, e.labels.iter().any(|l| &l.0 == code)) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
    }
    2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
}

#[test]
fn each_cnn_learns_on_its_own() {
    let model = train(&train_set(made_up(240, 11)), &small_options(), &mut |_| true).unwrap();
    assert!(model.cnn().is_some() && model.word_cnn().is_some(), "the default options train both candle CNNs");
    let nets = 3 * TrainOptions::default().cnn.seeds;
    assert_eq!(model.cnns().len(), nets, "the char CNN predicts with all nets of its 3 cross-fitting folds");
    // Random guessing scores about 0.4 here.
    let f1 = f1_of(&model, |t| model.cnn_probabilities(t).unwrap());
    assert!(f1 > 0.9, "char CNN code micro-F1 {f1}");
    let f1 = f1_of(&model, |t| model.word_cnn_probabilities(t).unwrap());
    assert!(f1 > 0.9, "word CNN code micro-F1 {f1}");
    // The word CNN reads words: its vocabulary is feature ids, far fewer than the characters.
    let (chars, words) = (&model.cnn().unwrap().vocab, &model.word_cnn().unwrap().vocab);
    assert!(words.len() < chars.len(), "{} words vs {} chars", words.len(), chars.len());
}

#[test]
fn the_cnn_is_seeded_and_saved() {
    let set = train_set(made_up(150, 13));
    let a = train(&set, &small_options(), &mut |_| true).unwrap();
    let b = train(&set, &small_options(), &mut |_| true).unwrap();
    assert_eq!(a.cnn(), b.cnn());
    assert_eq!(a.word_cnn(), b.word_cnn());
    let other = TrainOptions { seed: 7, ..small_options() };
    let c = train(&set, &other, &mut |_| true).unwrap();
    assert_ne!(a.cnn().unwrap().emb, c.cnn().unwrap().emb, "another seed, other weights");
    let dir = tempfile::tempdir().unwrap();
    a.save(dir.path()).unwrap();
    let loaded = vocwb_classify::Model::load(dir.path()).unwrap();
    let text = "动力很猛，后排太挤，";
    assert_eq!(a.cnn(), loaded.cnn());
    assert_eq!(a.word_cnn(), loaded.word_cnn());
    assert_eq!(a.word_cnn_probabilities(text), loaded.word_cnn_probabilities(text));
    assert_eq!(a.cnn_probabilities(text), loaded.cnn_probabilities(text));
    assert_eq!(a.predict(text), loaded.predict(text));
}

#[test]
fn without_the_cnns_the_svms_still_learn() {
    let off = CnnParams { enabled: false, ..CnnParams::default() };
    let options = TrainOptions { cnn: off.clone(), word_cnn: off, ..small_options() };
    let model = train(&train_set(made_up(240, 1)), &options, &mut |_| true).unwrap();
    assert!(model.cnn().is_none() && model.word_cnn().is_none());
    let r = model.evaluate(&made_up(120, 99), DecisionRule::F1);
    assert!(r.code_micro_f1 > 0.95 && r.pair_micro_f1 > 0.85, "{} {}", r.code_micro_f1, r.pair_micro_f1);
}

#[test]
fn a_model_marked_format_2_loads_and_format_1_is_refused() {
    // Without nets and trees, a format-2 model's calibration reads what today's does (format 5
    // adds the nets' best other logits, format 6 the trees), so both must predict alike.
    let options = TrainOptions {
        cnn: CnnParams { enabled: false, ..CnnParams::default() },
        word_cnn: CnnParams { enabled: false, ..CnnParams::words() },
        boost: BoostParams { enabled: false, ..BoostParams::default() },
        ..small_options()
    };
    let model = train(&train_set(made_up(150, 14)), &options, &mut |_| true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let card = dir.path().join("card.json");
    let text = std::fs::read_to_string(&card).unwrap();
    let with_format = |n: u32| text.replace(&format!("\"format\": {}", vocwb_classify::FORMAT), &format!("\"format\": {n}"));
    std::fs::write(&card, with_format(2)).unwrap();
    let loaded = vocwb_classify::Model::load(dir.path()).unwrap();
    assert!(loaded.cnn().is_none() && loaded.word_cnn().is_none());
    let texts = ["动力很猛，后排太挤，", "油耗有点高"];
    assert_eq!(model.predict_many(&texts), loaded.predict_many(&texts));
    std::fs::write(&card, with_format(1)).unwrap();
    let Err(err) = vocwb_classify::Model::load(dir.path()) else { panic!("format 1 is refused") };
    let err = err.to_string();
    assert!(err.contains("train the model again"), "{err}");
}

#[test]
fn a_format_3_model_with_one_final_char_cnn_loads() {
    let model = train(&train_set(made_up(150, 15)), &small_options(), &mut |_| true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    // Rewrite the layout as format 3 had it: a single char CNN under `cnn_…`.
    let weights = dir.path().join("weights.safetensors");
    let tensors = candle_core::safetensors::load(&weights, &candle_core::Device::Cpu).unwrap();
    let old: std::collections::HashMap<String, candle_core::Tensor> = tensors
        .into_iter()
        .filter(|(k, _)| !k.starts_with("cnn_f1_") && !k.starts_with("cnn_f2_"))
        .map(|(k, t)| (k.strip_prefix("cnn_f0_").map_or(k.clone(), |rest| format!("cnn_{rest}")), t))
        .collect();
    candle_core::safetensors::save(&old, &weights).unwrap();
    let card = dir.path().join("card.json");
    let text = std::fs::read_to_string(&card).unwrap();
    std::fs::write(&card, text.replace(&format!("\"format\": {}", vocwb_classify::FORMAT), "\"format\": 3")).unwrap();
    let loaded = vocwb_classify::Model::load(dir.path()).unwrap();
    assert_eq!(loaded.cnns().len(), 1);
    assert_eq!(loaded.cnn(), model.cnns().first());
    assert!(loaded.word_cnn().is_some());
    let text = "动力很猛，后排太挤，";
    let expected = model.cnns()[0].logits(&vocwb_classify::cnn::char_units(text, 3000));
    let got: Vec<f32> = loaded.cnn_probabilities(text).unwrap();
    for (p, z) in got.iter().zip(expected) {
        assert!((p - vocwb_classify::calibrate::sigmoid(z as f64) as f32).abs() < 1e-6);
    }
}

#[test]
fn the_boosted_trees_are_saved_and_score_alike_one_by_one_and_in_batches() {
    let set = train_set(made_up(150, 21));
    let model = train(&set, &small_options(), &mut |_| true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    assert!(dir.path().join(vocwb_classify::store::BOOST_FILE).exists());
    let loaded = vocwb_classify::Model::load(dir.path()).unwrap();
    let texts = ["动力很猛，后排太挤，", "油耗有点高", "内饰做工一般，空间还行"];
    let batch = loaded.predict_many(&texts);
    assert_eq!(model.predict_many(&texts), batch);
    for (text, prediction) in texts.iter().zip(&batch) {
        let one = loaded.probabilities(text);
        for c in &prediction.codes {
            let i = loaded.codes().iter().position(|x| x == &c.code_id).unwrap();
            assert!((one[i] - c.probability).abs() < 1e-6, "{text}: {} against {}", one[i], c.probability);
        }
    }
    // The trees move the probabilities: without them the same members give others.
    let plain = TrainOptions { boost: BoostParams { enabled: false, ..BoostParams::default() }, ..small_options() };
    let without = train(&set, &plain, &mut |_| true).unwrap();
    assert_ne!(without.probabilities(texts[0]), model.probabilities(texts[0]));
}

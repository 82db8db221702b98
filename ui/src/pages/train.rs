//! Train: how many human labels each code has (warning where too few), a training run with
//! live progress and cancel, the active model's card with per-code precision/recall (a bar
//! per code and a scatter of all codes), and auto-coding the rest.

use crate::api;
use crate::components::fmt_count;
use crate::i18n::{Lang, PolarityName, Words};
use crate::store::use_store;
use crate::wire::{AutocodeResult, CodeLabels, CodeScore, ModelSummary, TrainResult, TrainView};
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::{ErrorCode, ErrorInfo, Polarity};

#[derive(Debug, Clone, Copy)]
enum W {
    Title,
    Loading,
    LabelsTitle,
    LabelsHint,
    Code,
    Labelled,
    TooFew,
    Skipped,
    NoLabels,
    RunTitle,
    TargetPrecision,
    TargetHint,
    Run,
    Training,
    Cancel,
    Cancelled,
    Activated,
    NotActivated,
    CardTitle,
    NoModel,
    Examples,
    TrainingTime,
    CodeMicro,
    CodeMacro,
    PairMicro,
    PolarityAccuracy,
    Calibration,
    Precision,
    Recall,
    F1,
    ThresholdF1,
    ThresholdPrecision,
    NotReached,
    Picture,
    PictureHint,
    AutocodeTitle,
    AutocodeHint,
    RulePrecision,
    RuleF1,
    Autocode,
    Autocoding,
    Predicted,
    AutocodeDone,
    NotDone,
    StageFeatures,
    StageFolds,
    StageCnn,
    StageStack,
    StageFinal,
}

impl Words for W {
    fn texts(self) -> (&'static str, &'static str) {
        use W::*;
        match self {
            Title => ("训练", "Train"),
            Loading => ("正在读取标注…", "Reading the labels…"),
            LabelsTitle => ("每个编码的人工标注", "Human labels per code"),
            LabelsHint => ("模型只从人工标注学习；样本太少的编码预测不可靠。", "The model learns from human labels only; codes with too few examples are not reliable."),
            Code => ("编码", "Code"),
            Labelled => ("标注数", "Labelled"),
            TooFew => ("样本太少", "Too few"),
            Skipped => ("不参与训练", "Not modelled"),
            NoLabels => ("还没有人工标注。先在“标注”页标注，或导入已标注的文件。", "No human labels yet. Label on the Labelling screen or import a labelled file first."),
            RunTitle => ("训练模型", "Train a model"),
            TargetPrecision => ("目标精确率", "Target precision"),
            TargetHint => ("自动编码只采用达到此精确率的阈值", "Auto-coding applies a code only above the threshold that reaches this precision"),
            Run => ("开始训练", "Train"),
            Training => ("正在训练", "Training"),
            Cancel => ("取消", "Cancel"),
            Cancelled => ("已取消，原模型保持不变。", "Cancelled; the active model is unchanged."),
            Activated => ("新模型已启用：", "The new model is active:"),
            NotActivated => ("新模型未启用（不如当前模型）：", "The new model was not activated (not better than the active one):"),
            CardTitle => ("当前模型", "Active model"),
            NoModel => ("还没有模型。", "No model yet."),
            Examples => ("训练样本", "Training examples"),
            TrainingTime => ("训练用时", "Training time"),
            CodeMicro => ("编码 micro-F1", "Code micro-F1"),
            CodeMacro => ("编码 macro-F1", "Code macro-F1"),
            PairMicro => ("编码+极性 micro-F1", "Code+polarity micro-F1"),
            PolarityAccuracy => ("极性准确率", "Polarity accuracy"),
            Calibration => ("校准误差 ECE（校准前 → 后）", "Calibration error ECE (before → after)"),
            Precision => ("精确率", "Precision"),
            Recall => ("召回率", "Recall"),
            F1 => ("F1", "F1"),
            ThresholdF1 => ("F1 阈值", "F1 threshold"),
            ThresholdPrecision => ("目标精确率阈值", "Threshold at target"),
            NotReached => ("未达到", "not reached"),
            Picture => ("精确率 / 召回率（每个点一个编码）", "Precision / recall (one dot per code)"),
            PictureHint => ("交叉验证结果；右上角最好。", "Cross-validated; top right is best."),
            AutocodeTitle => ("自动编码其余原话", "Auto-code the rest"),
            AutocodeHint => ("只处理没有人工标注的原话；预测与人工标注分开保存，人工标注始终优先。", "Only verbatims without a human label; predictions are stored apart and human labels always win."),
            RulePrecision => ("按目标精确率阈值", "Thresholds for the target precision"),
            RuleF1 => ("按最佳 F1 阈值", "Best-F1 thresholds"),
            Autocode => ("开始自动编码", "Auto-code"),
            Autocoding => ("正在自动编码", "Auto-coding"),
            Predicted => ("已有预测的原话", "Verbatims with predictions"),
            AutocodeDone => ("自动编码完成：", "Auto-coding done:"),
            NotDone => ("未完成：", "Not done:"),
            StageFeatures => ("提取特征", "Extracting features"),
            StageFolds => ("交叉验证 SVM", "Cross-validating the SVMs"),
            StageCnn => ("训练字、词 CNN", "Training the character and word CNNs"),
            StageStack => ("组合器（提升树）", "Stacker (boosted trees)"),
            StageFinal => ("最终模型", "Final model"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Busy {
    Training,
    Autocoding,
}

#[derive(Clone, Copy)]
struct TrainState {
    view: RwSignal<Option<TrainView>>,
    busy: RwSignal<Option<Busy>>,
    problem: RwSignal<Option<ErrorInfo>>,
    trained: RwSignal<Option<TrainResult>>,
    coded: RwSignal<Option<AutocodeResult>>,
    cancelled: RwSignal<bool>,
}

impl TrainState {
    fn reload(&self) {
        let me = *self;
        spawn_local(async move {
            match api::train_overview().await {
                Ok(v) => me.view.set(Some(v)),
                Err(e) => me.problem.set(Some(e)),
            }
        });
    }

    /// A run's refusal or failure; a cancel is shown as such, not as an error.
    fn failed(&self, e: ErrorInfo) {
        if e.code == ErrorCode::Cancelled {
            self.cancelled.set(true);
        } else {
            self.problem.set(Some(e));
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[component]
pub fn TrainPage() -> impl IntoView {
    let store = use_store();
    let st = TrainState {
        view: RwSignal::new(None),
        busy: RwSignal::new(None),
        problem: RwSignal::new(None),
        trained: RwSignal::new(None),
        coded: RwSignal::new(None),
        cancelled: RwSignal::new(false),
    };
    st.reload();
    view! {
        <div class="page train-page" id="page-train">
            <div class="page-head">
                <div>
                    <h1>{move || store.tr(W::Title)}</h1>
                    <p class="hint" id="train-summary">{move || st.view.with(|v| v.as_ref().map(|v| {
                        if store.lang.get() == Lang::Zh {
                            format!("已标注 {} 条原话，未标注 {} 条；编码框架 v{}", fmt_count(v.labelled_verbatims as u64), fmt_count(v.unlabelled_verbatims as u64), v.frame_version)
                        } else {
                            format!("{} verbatims labelled, {} not; code frame v{}", fmt_count(v.labelled_verbatims as u64), fmt_count(v.unlabelled_verbatims as u64), v.frame_version)
                        }
                    }))}</p>
                </div>
            </div>
            {move || st.view.with(Option::is_none).then(|| view! { <p class="loading">{move || store.tr(W::Loading)}</p> })}
            {move || st.problem.get().map(|e| view! {
                <div class="banner error" id="train-error" role="alert">
                    <strong>{move || store.tr(W::NotDone)}</strong>
                    <p class="message">{e.message}</p>
                </div>
            })}
            <div class="train-columns">
                <div class="column">
                    <RunCard st=st/>
                    <AutocodeCard st=st/>
                    <LabelCounts st=st/>
                </div>
                <div class="column">
                    <ModelCard st=st/>
                </div>
            </div>
        </div>
    }
}

#[component]
fn LabelCounts(st: TrainState) -> impl IntoView {
    let store = use_store();
    let rows = Memo::new(move |_| {
        let mut codes: Vec<CodeLabels> = st.view.with(|v| v.as_ref().map(|v| v.codes.clone()).unwrap_or_default());
        codes.sort_by(|a, b| b.verbatims.cmp(&a.verbatims).then_with(|| a.code_id.cmp(&b.code_id)));
        codes
    });
    let too_few_below = move || st.view.with(|v| v.as_ref().map(|v| v.too_few_below).unwrap_or(0));
    let count = |c: &CodeLabels, p: &str| c.by_polarity.get(p).copied().unwrap_or(0).to_string();
    view! {
        <section class="card" id="train-labels">
            <h2>{move || store.tr(W::LabelsTitle)}</h2>
            <p class="hint">{move || store.tr(W::LabelsHint)}</p>
            {move || (st.view.with(Option::is_some) && rows.with(Vec::is_empty)).then(|| view! {
                <p class="banner notice" id="train-no-labels">{move || store.tr(W::NoLabels)}</p>
            })}
            <div class="train-scroll">
                <table class="train-counts">
                    <thead><tr>
                        <th>{move || store.tr(W::Code)}</th>
                        <th class="num">{move || store.tr(W::Labelled)}</th>
                        <th class="num">{move || store.tr(PolarityName(Polarity::Pain))}</th>
                        <th class="num">{move || store.tr(PolarityName(Polarity::Itch))}</th>
                        <th class="num">{move || store.tr(PolarityName(Polarity::Delight))}</th>
                        <th class="num">{move || store.tr(PolarityName(Polarity::Neutral))}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|c| (c.code_id.clone(), c.verbatims) children=move |c: CodeLabels| {
                            let warn = if c.skipped { Some(W::Skipped) } else if c.too_few { Some(W::TooFew) } else { None };
                            view! {
                                <tr id=format!("labels-{}", c.code_id) class:warn=warn.is_some()>
                                    <td>
                                        <span class="code-path">{c.path.join(" › ")}</span>
                                        {warn.map(|w| view! {
                                            <span class="warn-badge" title=move || format!("< {}", too_few_below())>{move || store.tr(w)}</span>
                                        })}
                                    </td>
                                    <td class="num count">{c.verbatims}</td>
                                    <td class="num">{count(&c, "pain")}</td>
                                    <td class="num">{count(&c, "itch")}</td>
                                    <td class="num">{count(&c, "delight")}</td>
                                    <td class="num">{count(&c, "neutral")}</td>
                                </tr>
                            }
                        } />
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The training stage an engine progress message starts with ("cnn 12/294: …"), in the
/// screen's words; other messages are shown as they are.
fn stage_of(message: &str) -> Option<W> {
    match message.split_whitespace().next()? {
        "features" => Some(W::StageFeatures),
        "fold" => Some(W::StageFolds),
        "cnn" => Some(W::StageCnn),
        "stack" => Some(W::StageStack),
        "final" => Some(W::StageFinal),
        _ => None,
    }
}

/// The live progress of the running job (events of its phase only).
#[component]
fn Running(phase: &'static str, label: W) -> impl IntoView {
    let store = use_store();
    let event = move || store.progress.get().filter(|e| e.phase == phase);
    let fraction = move || event().and_then(|e| e.total.filter(|t| *t > 0).map(|t| (e.done as f64 / t as f64).clamp(0.0, 1.0)));
    let on_cancel = move |_| {
        spawn_local(async move {
            let _ = api::cancel().await;
        })
    };
    view! {
        <div class="running" id=format!("{phase}-running")>
            <div class="progress">
                <progress id=format!("{phase}-progress") max="1" value=move || fraction().map(|f| f.to_string()).unwrap_or_default() aria-label=move || store.tr(label)></progress>
                <span class="progress-text" id=format!("{phase}-progress-text") aria-live="polite">
                    {move || store.tr(label)} " "
                    {move || fraction().map(|f| format!("{:.0}%", f * 100.0)).unwrap_or_default()} " "
                    {move || event().and_then(|e| e.message).map(|m| stage_of(&m).map_or(m, |w| store.tr(w).to_string())).unwrap_or_default()}
                </span>
            </div>
            <button type="button" class="secondary" id=format!("{phase}-cancel") on:click=on_cancel>{move || store.tr(W::Cancel)}</button>
        </div>
    }
}

#[component]
fn RunCard(st: TrainState) -> impl IntoView {
    let store = use_store();
    let target = RwSignal::new("0.9".to_string());
    let can_run = move || st.busy.get().is_none() && st.view.with(|v| v.as_ref().is_some_and(|v| v.labelled_verbatims > 0));
    let run = move |_| {
        let Ok(target) = target.get_untracked().trim().parse::<f64>() else {
            st.problem.set(Some(ErrorInfo {
                code: ErrorCode::BadInput,
                message: format!("'{}' is not a number", target.get_untracked()),
                file: None,
                row: None,
                field: None,
            }));
            return;
        };
        st.problem.set(None);
        st.trained.set(None);
        st.cancelled.set(false);
        store.progress.set(None);
        st.busy.set(Some(Busy::Training));
        spawn_local(async move {
            match api::train_run(target).await {
                Ok(r) => st.trained.set(Some(r)),
                Err(e) => st.failed(e),
            }
            st.busy.set(None);
            st.reload();
        });
    };
    view! {
        <section class="card" id="train-run-card">
            <h2>{move || store.tr(W::RunTitle)}</h2>
            <div class="train-form">
                <div>
                    <label class="field" for="train-target">{move || store.tr(W::TargetPrecision)}</label>
                    <input type="text" inputmode="decimal" id="train-target" class="short" prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
                </div>
                <button type="button" class="primary" id="train-run" disabled=move || !can_run() on:click=run>{move || store.tr(W::Run)}</button>
            </div>
            <p class="hint">{move || store.tr(W::TargetHint)}</p>
            <Show when=move || st.busy.get() == Some(Busy::Training)>
                <Running phase="train" label=W::Training/>
            </Show>
            {move || st.cancelled.get().then(|| view! { <p class="banner notice" id="train-cancelled">{move || store.tr(W::Cancelled)}</p> })}
            {move || st.trained.get().map(|r| view! {
                <p class=if r.activated { "done" } else { "banner notice" } id="train-result">
                    {move || store.tr(if r.activated { W::Activated } else { W::NotActivated })} " "
                    <span class="mono">{r.model_id.clone()}</span> " (" {r.reason.clone()} ")"
                </p>
            })}
        </section>
    }
}

#[component]
fn AutocodeCard(st: TrainState) -> impl IntoView {
    let store = use_store();
    let precision_rule = RwSignal::new(true);
    let has_model = move || st.view.with(|v| v.as_ref().is_some_and(|v| v.model.is_some()));
    let run = move |_| {
        st.problem.set(None);
        st.coded.set(None);
        st.cancelled.set(false);
        store.progress.set(None);
        st.busy.set(Some(Busy::Autocoding));
        let precision = precision_rule.get_untracked();
        spawn_local(async move {
            match api::autocode_run(precision).await {
                Ok(r) => st.coded.set(Some(r)),
                Err(e) => st.failed(e),
            }
            st.busy.set(None);
            st.reload();
        });
    };
    view! {
        <section class="card" id="autocode-card">
            <h2>{move || store.tr(W::AutocodeTitle)}</h2>
            <p class="hint">{move || store.tr(W::AutocodeHint)}</p>
            <div class="train-form">
                <select id="autocode-rule" aria-label=move || store.tr(W::AutocodeTitle) on:change=move |ev| precision_rule.set(event_target_value(&ev) == "precision")>
                    <option value="precision" selected=move || precision_rule.get()>{move || store.tr(W::RulePrecision)}</option>
                    <option value="f1" selected=move || !precision_rule.get()>{move || store.tr(W::RuleF1)}</option>
                </select>
                <button type="button" class="primary" id="autocode-run" disabled=move || st.busy.get().is_some() || !has_model() on:click=run>{move || store.tr(W::Autocode)}</button>
            </div>
            <p class="hint">{move || store.tr(W::Predicted)} ": "
                <span id="predicted-verbatims">{move || st.view.with(|v| v.as_ref().map(|v| v.predicted_verbatims).unwrap_or(0))}</span>
            </p>
            <Show when=move || st.busy.get() == Some(Busy::Autocoding)>
                <Running phase="autocode" label=W::Autocoding/>
            </Show>
            {move || st.coded.get().map(|r| view! {
                <p class="done" id="autocode-result">
                    {move || store.tr(W::AutocodeDone)} " "
                    {move || if store.lang.get() == Lang::Zh {
                        format!("{} 条原话，{} 个预测，{} 条未编码，用时 {:.1} 秒", r.verbatims, r.predictions, r.uncoded, r.seconds)
                    } else {
                        format!("{} verbatims, {} predictions, {} left uncoded, {:.1} s", r.verbatims, r.predictions, r.uncoded, r.seconds)
                    }}
                </p>
            })}
        </section>
    }
}

#[component]
fn ModelCard(st: TrainState) -> impl IntoView {
    let store = use_store();
    let model = Memo::new(move |_| st.view.with(|v| v.as_ref().and_then(|v| v.model.clone())));
    view! {
        <section class="card" id="model-card">
            <h2>{move || store.tr(W::CardTitle)}</h2>
            {move || match model.get() {
                None => view! { <p class="hint" id="no-model">{move || store.tr(W::NoModel)}</p> }.into_any(),
                Some(m) => view! { <CardBody m=m/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CardBody(m: ModelSummary) -> impl IntoView {
    let store = use_store();
    let fact = move |label: W, id: &'static str, value: String| {
        view! { <div><dt>{move || store.tr(label)}</dt><dd id=id>{value}</dd></div> }
    };
    let mut codes = m.codes.clone();
    codes.sort_by(|a, b| b.label_count.cmp(&a.label_count).then_with(|| a.code_id.cmp(&b.code_id)));
    view! {
        <p class="mono model-id" id="model-id">{m.id.clone()}</p>
        <dl class="facts">
            {fact(W::CodeMicro, "card-code-micro", pct(m.validation.code_micro_f1))}
            {fact(W::CodeMacro, "card-code-macro", pct(m.validation.code_macro_f1))}
            {fact(W::PairMicro, "card-pair-micro", pct(m.validation.pair_micro_f1))}
            {fact(W::PolarityAccuracy, "card-polarity", pct(m.validation.polarity_accuracy))}
            {fact(W::Calibration, "card-ece", format!("{:.3} → {:.3}", m.validation.ece_raw, m.validation.ece_calibrated))}
            {fact(W::Examples, "card-examples", fmt_count(m.examples as u64))}
            {fact(W::TrainingTime, "card-seconds", format!("{:.1} s", m.training_seconds))}
            {fact(W::TargetPrecision, "card-target", pct(m.target_precision))}
        </dl>
        <h3>{move || store.tr(W::Picture)}</h3>
        <p class="hint">{move || store.tr(W::PictureHint)}</p>
        <Scatter codes=m.codes.clone()/>
        <div class="train-scroll">
            <table class="card-codes" id="card-codes">
                <thead><tr>
                    <th>{move || store.tr(W::Code)}</th>
                    <th class="num">{move || store.tr(W::Labelled)}</th>
                    <th>{move || store.tr(W::Precision)} " / " {move || store.tr(W::Recall)}</th>
                    <th class="num">{move || store.tr(W::F1)}</th>
                    <th class="num">{move || store.tr(W::ThresholdF1)}</th>
                    <th class="num">{move || store.tr(W::ThresholdPrecision)}</th>
                </tr></thead>
                <tbody>
                    {codes.into_iter().map(|c| view! { <ScoreRow c=c/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ScoreRow(c: CodeScore) -> impl IntoView {
    let store = use_store();
    let bar = |x: f64, class: &'static str| view! { <div class=format!("pr-bar {class}")><div style=format!("width: {:.1}%", x * 100.0)></div></div> };
    view! {
        <tr id=format!("score-{}", c.code_id)>
            <td>{c.name.clone()}</td>
            <td class="num">{c.label_count}</td>
            <td class="pr-cell" title=format!("P {} · R {}", pct(c.precision), pct(c.recall))>
                {bar(c.precision, "p")}
                {bar(c.recall, "r")}
            </td>
            <td class="num f1">{format!("{:.3}", c.f1)}</td>
            <td class="num">{format!("{:.2}", c.threshold_f1)}</td>
            <td class="num">{match c.threshold_precision {
                Some(t) => format!("{t:.2}").into_any(),
                None => view! { <span class="muted">{move || store.tr(W::NotReached)}</span> }.into_any(),
            }}</td>
        </tr>
    }
}

/// Every code as a dot at (recall, precision), sized by its label count.
#[component]
fn Scatter(codes: Vec<CodeScore>) -> impl IntoView {
    const SIZE: f64 = 220.0;
    const PAD: f64 = 28.0;
    let max_count = codes.iter().map(|c| c.label_count).max().unwrap_or(1).max(1) as f64;
    let x = move |r: f64| PAD + r.clamp(0.0, 1.0) * SIZE;
    let y = move |p: f64| PAD + (1.0 - p.clamp(0.0, 1.0)) * SIZE;
    let total = SIZE + 2.0 * PAD;
    view! {
        <svg class="pr-scatter" id="pr-scatter" viewBox=format!("0 0 {total} {total}") role="img" aria-label="precision recall">
            <rect x=PAD y=PAD width=SIZE height=SIZE class="frame"></rect>
            {[0.25, 0.5, 0.75].into_iter().map(|g| view! {
                <line x1=x(g) y1=PAD x2=x(g) y2=PAD + SIZE class="grid"></line>
                <line x1=PAD y1=y(g) x2=PAD + SIZE y2=y(g) class="grid"></line>
            }).collect_view()}
            <text x=PAD + SIZE / 2.0 y=total - 4.0 class="axis">"recall →"</text>
            <text x=10.0 y=PAD + SIZE / 2.0 class="axis" transform=format!("rotate(-90 10 {})", PAD + SIZE / 2.0)>"precision →"</text>
            {codes.into_iter().map(|c| {
                let r = 2.5 + 5.0 * (c.label_count as f64 / max_count).sqrt();
                view! {
                    <circle cx=x(c.recall) cy=y(c.precision) r=r class="dot">
                        <title>{format!("{} — P {} R {} ({})", c.name, pct(c.precision), pct(c.recall), c.label_count)}</title>
                    </circle>
                }
            }).collect_view()}
        </svg>
    }
}

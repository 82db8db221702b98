//! `vocwb search DIR QUERY [filters]`: ranked verbatims with snippets and counts per code,
//! refreshing the index first; and `vocwb bench search`.

use crate::output::{print_json, print_line, Reporter};
use anyhow::{bail, Context};
use std::path::PathBuf;
use vocwb_engine::index::{Filters, SearchQuery, SearchResults, Source};
use vocwb_engine::labels::CodeLookup;
use vocwb_engine::Project;
use vocwb_types::Polarity;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// Words (all must match), "quoted phrases", -excluded words; empty for every verbatim.
    #[arg(default_value = "")]
    pub query: String,
    /// Code id, short code or name; a parent finds its children. Repeat or comma-separate.
    #[arg(long, value_delimiter = ',')]
    pub code: Vec<String>,
    /// pain, itch, delight or neutral (of the --code, when given).
    #[arg(long, value_delimiter = ',')]
    pub polarity: Vec<String>,
    /// human, model or reviewed.
    #[arg(long, value_delimiter = ',')]
    pub source: Vec<String>,
    #[arg(long)]
    pub min_confidence: Option<f64>,
    #[arg(long)]
    pub max_confidence: Option<f64>,
    #[arg(long, value_delimiter = ',')]
    pub channel: Vec<String>,
    /// First date, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub from: Option<String>,
    /// Last date, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, value_delimiter = ',')]
    pub dealer: Vec<String>,
    /// Vehicle model.
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// detractor (0–6), passive (7–8), promoter (9–10), a score or a range like 0-6.
    #[arg(long)]
    pub nps: Option<String>,
    /// unreviewed, pending, accepted, corrected or rejected.
    #[arg(long, value_delimiter = ',')]
    pub review_status: Vec<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Longest snippet, in characters.
    #[arg(long, default_value_t = 80)]
    pub snippet_chars: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let project = Project::open(&args.dir)?;
    let filters = filters(&project, &args)?;
    let query = SearchQuery {
        text: args.query.clone(),
        filters,
        limit: args.limit,
        offset: args.offset,
        snippet_chars: args.snippet_chars,
        code_counts: true,
    };
    let reporter = Reporter::new(args.json);
    let results = project.search(&query, &reporter);
    reporter.finish();
    let results = results?;
    if args.json {
        print_json(&results);
    } else {
        print_human(&project, &results);
    }
    Ok(())
}

fn filters(project: &Project, args: &Args) -> anyhow::Result<Filters> {
    let frame = project.labelling_frame().ok().map(|(_, f)| f);
    let mut codes = Vec::new();
    for key in &args.code {
        let id = match &frame {
            Some(f) if f.get(key).is_some() => key.clone(),
            Some(f) => CodeLookup::new(f).find(key).map_err(|m| anyhow::anyhow!(m))?.to_string(),
            None => key.clone(),
        };
        codes.push(id);
    }
    let polarities = args.polarity.iter().map(|p| p.parse::<Polarity>().map_err(anyhow::Error::msg)).collect::<anyhow::Result<_>>()?;
    let sources = args.source.iter().map(|s| s.parse::<Source>().map_err(anyhow::Error::msg)).collect::<anyhow::Result<_>>()?;
    let date = |s: &Option<String>, flag: &str| -> anyhow::Result<Option<String>> {
        if let Some(d) = s.as_deref() {
            vocwb_engine::index::parse_date(d).with_context(|| format!("{flag} '{d}' is not a date like 2026-03-31"))?;
        }
        Ok(s.clone())
    };
    let (nps_min, nps_max) = match args.nps.as_deref() {
        None => (None, None),
        Some(spec) => nps_range(spec)?,
    };
    for s in &args.review_status {
        if !["unreviewed", "pending", "accepted", "corrected", "rejected"].contains(&s.as_str()) {
            bail!("unknown review status '{s}' (expected unreviewed, pending, accepted, corrected or rejected)");
        }
    }
    Ok(Filters {
        codes,
        polarities,
        sources,
        min_confidence: args.min_confidence,
        max_confidence: args.max_confidence,
        channels: args.channel.clone(),
        date_from: date(&args.from, "--from")?,
        date_to: date(&args.to, "--to")?,
        dealers: args.dealer.clone(),
        vehicle_models: args.model.clone(),
        nps_min,
        nps_max,
        review_status: args.review_status.clone(),
    })
}

/// `detractor`, `passive`, `promoter`, `7` or `0-6`, as an inclusive range.
fn nps_range(spec: &str) -> anyhow::Result<(Option<u64>, Option<u64>)> {
    let bad = || anyhow::anyhow!("--nps '{spec}' is not detractor, passive, promoter, a score 0–10 or a range like 0-6");
    let score = |s: &str| -> anyhow::Result<u64> { s.trim().parse::<u64>().ok().filter(|n| *n <= 10).ok_or_else(bad) };
    Ok(match spec.trim() {
        "detractor" | "detractors" => (Some(0), Some(6)),
        "passive" | "passives" => (Some(7), Some(8)),
        "promoter" | "promoters" => (Some(9), Some(10)),
        s => match s.split_once('-') {
            Some((a, b)) => (Some(score(a)?), Some(score(b)?)),
            None => {
                let n = score(s)?;
                (Some(n), Some(n))
            }
        },
    })
}

fn print_human(project: &Project, results: &SearchResults) {
    let frame = project.labelling_frame().ok().map(|(_, f)| f);
    let name = |id: &str| frame.as_ref().and_then(|f| f.get(id)).map(|c| c.name_zh.clone()).unwrap_or_else(|| id.to_string());
    print_line(format_args!("{} matching verbatims", results.total));
    for hit in &results.hits {
        let mut marked = String::new();
        let mut at = 0;
        for &(from, to) in &hit.highlights {
            marked.push_str(&hit.fragment[at..from]);
            marked.push('【');
            marked.push_str(&hit.fragment[from..to]);
            marked.push('】');
            at = to;
        }
        marked.push_str(&hit.fragment[at..]);
        let mut meta = vec![hit.channel.clone()];
        meta.extend(hit.date.clone());
        meta.extend(hit.dealer.clone());
        meta.extend(hit.vehicle_model.clone());
        meta.extend(hit.nps.map(|n| format!("NPS {n}")));
        print_line(format_args!("#{} [{}] {}", hit.verbatim_id, meta.join(" · "), marked));
        if !hit.codes.is_empty() {
            let codes: Vec<String> = hit
                .codes
                .iter()
                .map(|c| {
                    let polarity = c.polarity.map(|p| format!(" {p}")).unwrap_or_default();
                    let confidence = c.confidence.map(|x| format!(" {x:.2}")).unwrap_or_default();
                    format!("{}{polarity} ({}{confidence})", name(&c.code_id), c.source)
                })
                .collect();
            print_line(format_args!("    {}", codes.join("; ")));
        }
    }
    if !results.code_counts.is_empty() {
        let top: Vec<String> = results.code_counts.iter().take(10).map(|c| format!("{} {}", name(&c.code_id), c.count)).collect();
        print_line(format_args!("by code: {}", top.join(", ")));
    }
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Timed passes over the query words for each query shape.
    #[arg(long, default_value_t = 10)]
    pub repeats: usize,
    /// Where to put the generated data (default: a temporary folder, removed afterwards).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run_bench(args: BenchArgs) -> anyhow::Result<()> {
    // Held until the end of the run: the temporary folder goes when it drops.
    let (dir, _temp) = super::bench::work_dir(args.work_dir.as_deref())?;
    let reporter = Reporter::new(args.json);
    let result = vocwb_engine::search_bench::run(&dir, args.rows, args.repeats, &super::init::codeframes_dir(), &reporter);
    reporter.finish();
    let r = result?;
    if args.json {
        print_json(&r);
        return Ok(());
    }
    print_line(format_args!(
        "{} verbatims, {} predictions: index built in {:.1} s ({:.0} MB, {} threads)",
        r.rows, r.predictions, r.index_build_seconds, r.index_mb, r.index_threads
    ));
    for q in &r.queries {
        print_line(format_args!("  {:<36} p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms ({} runs)", q.shape, q.p50_ms, q.p95_ms, q.max_ms, q.runs));
    }
    print_line(format_args!("all queries: p50 {:.1} ms, p95 {:.1} ms", r.query_p50_ms, r.query_p95_ms));
    match (&r.ripgrep, &r.ripgrep_note) {
        (Some(rg), _) => print_line(format_args!(
            "rg -c {} over a {:.0} MB export: {:.3} s ({} lines); the index: {:.1} ms ({} verbatims)",
            rg.word, rg.export_mb, rg.seconds, rg.matching_lines, rg.index_ms, rg.index_total
        )),
        (None, Some(note)) => print_line(format_args!("ripgrep: {note}")),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::nps_range;

    #[test]
    fn nps_groups_scores_and_ranges() {
        assert_eq!(nps_range("detractor").unwrap(), (Some(0), Some(6)));
        assert_eq!(nps_range("promoter").unwrap(), (Some(9), Some(10)));
        assert_eq!(nps_range("7").unwrap(), (Some(7), Some(7)));
        assert_eq!(nps_range("3-8").unwrap(), (Some(3), Some(8)));
        assert!(nps_range("11").is_err() && nps_range("soon").is_err());
    }
}

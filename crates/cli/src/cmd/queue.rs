//! `vocwb queue`: the next verbatims for a coder; `vocwb coder`: profiles and roles;
//! `vocwb show`: one verbatim with its context.

use crate::output::{print_json, print_line};
use anyhow::Context;
use std::path::PathBuf;
use vocwb_engine::queue::{nps_band, QueueFilter, QueueOrder};
use vocwb_engine::Project;
use vocwb_types::{Channel, Role};

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    #[arg(long)]
    pub coder: String,
    /// in-order, random or uncertainty.
    #[arg(long, default_value = "in-order")]
    pub order: String,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long)]
    pub channel: Option<Channel>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub dealer: Option<String>,
    #[arg(long)]
    pub model: Option<String>,
    /// detractor, passive, promoter or a range like 0-6.
    #[arg(long)]
    pub nps: Option<String>,
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CoderArgs {
    pub dir: PathBuf,
    pub name: Option<String>,
    /// researcher, owner or reviewer.
    #[arg(long)]
    pub role: Option<Role>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    pub dir: PathBuf,
    pub verbatim: i64,
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let order = match a.order.as_str() {
        "in-order" => QueueOrder::InOrder,
        "random" => QueueOrder::Random { seed: a.seed },
        "uncertainty" => QueueOrder::Uncertainty,
        other => anyhow::bail!("unknown order '{other}' (in-order, random or uncertainty)"),
    };
    let filter = QueueFilter {
        channel: a.channel,
        date_from: a.from,
        date_to: a.to,
        dealer: a.dealer,
        vehicle_model: a.model,
        nps: a.nps.as_deref().map(|n| nps_band(n).with_context(|| format!("bad NPS band '{n}'"))).transpose()?,
        text: a.text,
    };
    let mut project = Project::open(&a.dir)?;
    let ids = project.queue(&a.coder, order, &filter, a.limit)?;
    if a.json {
        print_json(&serde_json::json!({ "verbatims": ids }));
    } else {
        for id in ids {
            let v = project.verbatim_view(id)?;
            print_line(format_args!("{id:>8}  {:<12} {}", v.channel, v.text.replace('\n', " ")));
        }
    }
    Ok(())
}

pub fn coder(a: CoderArgs) -> anyhow::Result<()> {
    let mut project = Project::open(&a.dir)?;
    if let (Some(name), Some(role)) = (&a.name, a.role) {
        project.set_coder(name, role)?;
    }
    let coders = project.coders()?;
    if a.json {
        print_json(&coders);
    } else {
        for c in coders {
            print_line(format_args!("{:<20} {}", c.name, c.role.as_str()));
        }
    }
    Ok(())
}

pub fn show(a: ShowArgs) -> anyhow::Result<()> {
    let view = Project::open(&a.dir)?.verbatim_view(a.verbatim)?;
    if a.json {
        print_json(&view);
    } else {
        print_line(format_args!("{} · {} · {}", view.channel, view.document_id, view.date.as_deref().unwrap_or("-")));
        for t in &view.turns {
            let mark = if t.verbatim_id == Some(view.verbatim_id) { ">" } else { " " };
            print_line(format_args!("{mark} {}: {}", t.speaker, t.text));
        }
        for l in &view.labels {
            print_line(format_args!("  [{}] {} {:?}", l.coder, l.code_id, l.polarity));
        }
    }
    Ok(())
}

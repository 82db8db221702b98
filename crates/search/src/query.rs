//! Searching: words and phrases ranked by BM25, narrowed by filters, with snippets and counts
//! per code.

use crate::collector::CodeCounts;
use crate::doc::{AppliedCode, Source};
use crate::error::{Error, Result};
use crate::index::{app_key, date_time, millionths, names, SearchIndex};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermSetQuery};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument, Term};
use vocwb_types::Polarity;

/// Narrowing conditions; each list means "any of", and different conditions all apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Code ids; a parent code finds verbatims coded with any of its descendants.
    pub codes: Vec<String>,
    /// Polarities of the applied code; with `codes`, the polarity of one of those codes.
    pub polarities: Vec<Polarity>,
    /// Sources of the applied code; with `codes`/`polarities`, paired with them.
    pub sources: Vec<Source>,
    /// A model confidence range (inclusive); with `codes`, the confidence of one of those codes.
    pub min_confidence: Option<f64>,
    pub max_confidence: Option<f64>,
    pub channels: Vec<String>,
    /// Inclusive date range.
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub dealers: Vec<String>,
    pub vehicle_models: Vec<String>,
    /// Inclusive NPS range.
    pub nps_min: Option<u64>,
    pub nps_max: Option<u64>,
    pub review_status: Vec<String>,
}

/// A search: free text (words, `"phrases"`, `-excluded`; empty for "everything") plus filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub text: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// Longest snippet, in characters.
    pub snippet_chars: usize,
    /// Whether to count matches per code (a little slower on very broad queries).
    pub code_counts: bool,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery { text: String::new(), filters: Filters::default(), limit: 20, offset: 0, snippet_chars: 80, code_counts: true }
    }
}

/// One ranked verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub verbatim_id: u64,
    /// BM25 score; 0 when the search had no words (then hits come in verbatim order).
    pub score: f32,
    pub text: String,
    /// The best passage, HTML-escaped, matched words in `<b>…</b>`.
    pub snippet: String,
    /// The same passage as plain text, and the byte ranges in it of the matched words.
    pub fragment: String,
    pub highlights: Vec<(usize, usize)>,
    pub channel: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dealer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vehicle_model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<u64>,
    pub codes: Vec<AppliedCode>,
    pub review_status: Vec<String>,
}

/// How many matching verbatims carry a code (or one of its descendants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCount {
    pub code_id: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Every matching verbatim, not just the page in `hits`.
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Counts per code over all matches, largest first; empty unless asked for.
    pub code_counts: Vec<CodeCount>,
}

impl SearchIndex {
    /// Runs a search against the last committed state of the index.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let words = self.parse_words(&q.text)?;
        let filters = self.filter_queries(&q.filters);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(w) = &words {
            clauses.push((Occur::Must, w.box_clone()));
        }
        for f in filters {
            // Filters narrow, they never change the ranking.
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0))));
        }
        let query: Box<dyn Query> = match clauses.len() {
            0 => Box::new(AllQuery),
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        let at = Error::at(&self.dir);
        let counts_collector = q.code_counts.then(|| CodeCounts::new(self.meta.codes.len(), &q.filters.sources));
        let limit = q.limit;
        let (total, addresses, counts): (usize, Vec<(f32, DocAddress)>, Option<Vec<u64>>) = if limit == 0 {
            let (total, counts) = searcher.search(&*query, &(Count, counts_collector)).map_err(at)?;
            (total, Vec::new(), counts)
        } else if words.is_some() {
            let top = TopDocs::with_limit(limit).and_offset(q.offset).order_by_score();
            searcher.search(&*query, &(Count, top, counts_collector)).map_err(at)?
        } else {
            let top = TopDocs::with_limit(limit)
                .and_offset(q.offset)
                .order_by_fast_field::<u64>(names::VERBATIM_ID, Order::Asc);
            let (total, top, counts) = searcher.search(&*query, &(Count, top, counts_collector)).map_err(at)?;
            (total, top.into_iter().map(|(_, a)| (0.0, a)).collect(), counts)
        };
        let snippets = match &words {
            Some(w) => {
                let mut g = SnippetGenerator::create(&searcher, &**w, self.fields.text).map_err(Error::at(&self.dir))?;
                // tantivy measures snippets in bytes; Chinese is three bytes a character.
                g.set_max_num_chars(q.snippet_chars.max(10) * 3);
                Some(g)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(Error::at(&self.dir))?;
            hits.push(self.hit(&doc, score, snippets.as_ref(), q.snippet_chars));
        }
        let mut code_counts: Vec<CodeCount> = counts
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(i, count)| CodeCount { code_id: self.meta.codes[i].clone(), count })
            .collect();
        code_counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code_id.cmp(&b.code_id)));
        Ok(SearchResults { total: total as u64, hits, code_counts })
    }

    /// The words part of a query, or `None` when there are no words. Syntax errors fall back
    /// to a lenient reading, so a stray quote or colon never makes a search fail.
    fn parse_words(&self, text: &str) -> Result<Option<Box<dyn Query>>> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let mut parser = QueryParser::for_index(&self.index, vec![self.fields.text]);
        parser.set_conjunction_by_default();
        let query = match parser.parse_query(text) {
            Ok(q) => q,
            Err(_) => parser.parse_query_lenient(text).0,
        };
        Ok(Some(query))
    }

    fn filter_queries(&self, f: &Filters) -> Vec<Box<dyn Query>> {
        let fl = self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let terms = |field, values: &[String]| -> Box<dyn Query> {
            Box::new(TermSetQuery::new(values.iter().map(|v| Term::from_field_text(field, v))))
        };
        if !f.codes.is_empty() || !f.polarities.is_empty() || !f.sources.is_empty() {
            let codes: Vec<Option<&str>> = opt_list(f.codes.iter().map(String::as_str));
            let pols: Vec<Option<&str>> = opt_list(f.polarities.iter().map(|p| p.as_str()));
            let srcs: Vec<Option<&str>> = opt_list(f.sources.iter().map(|s| s.as_str()));
            let mut keys = Vec::new();
            for c in &codes {
                for p in &pols {
                    for s in &srcs {
                        keys.push(app_key(*c, *p, *s));
                    }
                }
            }
            out.push(terms(fl.app, &keys));
        }
        if f.min_confidence.is_some() || f.max_confidence.is_some() {
            if f.codes.is_empty() {
                let lo = f.min_confidence.map(|v| Term::from_field_f64(fl.confidence, v));
                let hi = f.max_confidence.map(|v| Term::from_field_f64(fl.confidence, v));
                out.push(Box::new(RangeQuery::new(bound(lo), bound(hi))));
            } else {
                let lo = f.min_confidence.map(millionths).unwrap_or(0);
                let hi = f.max_confidence.map(millionths).unwrap_or(1_000_000);
                let mut per_code: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for code in &f.codes {
                    if let Some(ord) = self.meta.codes.iter().position(|c| c == code) {
                        let ord = ord as u64;
                        let range = RangeQuery::new(
                            Bound::Included(Term::from_field_u64(fl.code_conf, ord << 32 | lo)),
                            Bound::Included(Term::from_field_u64(fl.code_conf, ord << 32 | hi)),
                        );
                        per_code.push((Occur::Should, Box::new(range)));
                    }
                }
                match per_code.is_empty() {
                    true => out.push(Box::new(EmptyQuery)),
                    false => out.push(Box::new(BooleanQuery::new(per_code))),
                }
            }
        }
        if !f.channels.is_empty() {
            out.push(terms(fl.channel, &f.channels));
        }
        if !f.dealers.is_empty() {
            out.push(terms(fl.dealer, &f.dealers));
        }
        if !f.vehicle_models.is_empty() {
            out.push(terms(fl.vehicle_model, &f.vehicle_models));
        }
        if !f.review_status.is_empty() {
            out.push(terms(fl.review, &f.review_status));
        }
        if f.date_from.is_some() || f.date_to.is_some() {
            let lo = f.date_from.map(|d| Term::from_field_date(fl.date, date_time(d)));
            let hi = f.date_to.map(|d| Term::from_field_date(fl.date, date_time(d)));
            out.push(Box::new(RangeQuery::new(bound(lo), bound(hi))));
        }
        if f.nps_min.is_some() || f.nps_max.is_some() {
            let lo = f.nps_min.map(|v| Term::from_field_u64(fl.nps, v));
            let hi = f.nps_max.map(|v| Term::from_field_u64(fl.nps, v));
            out.push(Box::new(RangeQuery::new(bound(lo), bound(hi))));
        }
        out
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: Option<&SnippetGenerator>, snippet_chars: usize) -> Hit {
        let fl = self.fields;
        let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
        let text = text_of(fl.text).unwrap_or_default();
        let (snippet, fragment, highlights) = match snippets.map(|g| g.snippet(&text)).filter(|s| !s.fragment().is_empty()) {
            Some(s) => (s.to_html(), s.fragment().to_string(), s.highlighted().iter().map(|r| (r.start, r.end)).collect()),
            None => {
                let head: String = text.chars().take(snippet_chars.max(10)).collect();
                (html_escape(&head), head, Vec::new())
            }
        };
        Hit {
            verbatim_id: doc.get_first(fl.verbatim_id).and_then(|v| v.as_u64()).unwrap_or_default(),
            score,
            snippet,
            fragment,
            highlights,
            channel: text_of(fl.channel).unwrap_or_default(),
            date: doc
                .get_first(fl.date)
                .and_then(|v| v.as_datetime())
                .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                .map(|d| d.date_naive()),
            dealer: text_of(fl.dealer),
            vehicle_model: text_of(fl.vehicle_model),
            nps: doc.get_first(fl.nps).and_then(|v| v.as_u64()),
            codes: text_of(fl.apps).and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default(),
            review_status: doc.get_all(fl.review).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            text,
        }
    }
}

fn opt_list<'a>(values: impl Iterator<Item = &'a str>) -> Vec<Option<&'a str>> {
    let list: Vec<Option<&str>> = values.map(Some).collect();
    if list.is_empty() {
        vec![None]
    } else {
        list
    }
}

fn bound(term: Option<Term>) -> Bound<Term> {
    term.map(Bound::Included).unwrap_or(Bound::Unbounded)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

//! Searching: words and phrases ranked by BM25, narrowed by filters, with snippets and counts
//! per code.

use crate::collector::CodeCounts;
use crate::error::{Error, Result};
use crate::index::{app_key, date_time, millionths, names, SearchIndex};
use chrono::NaiveDate;
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermSetQuery};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument, Term};
pub use vocwb_types::search::{CodeCount, Filters, Hit, SearchQuery, SearchResults};

impl SearchIndex {
    /// Runs a search against the last committed state of the index.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let words = self.parse_words(&q.text)?;
        let filters = self.filter_queries(&q.filters)?;
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

    fn filter_queries(&self, f: &Filters) -> Result<Vec<Box<dyn Query>>> {
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
            let lo = f.date_from.as_deref().map(parse_day).transpose()?.map(|d| Term::from_field_date(fl.date, date_time(d)));
            let hi = f.date_to.as_deref().map(parse_day).transpose()?.map(|d| Term::from_field_date(fl.date, date_time(d)));
            out.push(Box::new(RangeQuery::new(bound(lo), bound(hi))));
        }
        if f.nps_min.is_some() || f.nps_max.is_some() {
            let lo = f.nps_min.map(|v| Term::from_field_u64(fl.nps, v));
            let hi = f.nps_max.map(|v| Term::from_field_u64(fl.nps, v));
            out.push(Box::new(RangeQuery::new(bound(lo), bound(hi))));
        }
        Ok(out)
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
                .map(|d| d.date_naive().format("%Y-%m-%d").to_string()),
            dealer: text_of(fl.dealer),
            vehicle_model: text_of(fl.vehicle_model),
            nps: doc.get_first(fl.nps).and_then(|v| v.as_u64()),
            codes: text_of(fl.apps).and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default(),
            review_status: doc.get_all(fl.review).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            text,
        }
    }
}

/// A `YYYY-MM-DD` date of a filter.
fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::Query(format!("'{s}' is not a date like 2026-03-31")))
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

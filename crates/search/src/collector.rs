//! Counts of matching verbatims per code, read from the `code_src` fast field.

use crate::doc::{source_index, Source};
use crate::index::names;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts each matching verbatim once per code it carries (ancestors included), from the
/// sources asked for (all when none is given).
pub(crate) struct CodeCounts {
    num_codes: usize,
    source_mask: u64,
}

impl CodeCounts {
    pub(crate) fn new(num_codes: usize, sources: &[Source]) -> CodeCounts {
        let source_mask = match sources {
            [] => u64::MAX,
            some => some.iter().fold(0, |m, s| m | 1 << source_index(*s)),
        };
        CodeCounts { num_codes, source_mask }
    }
}

pub(crate) struct SegmentCodeCounts {
    column: Option<Column<u64>>,
    source_mask: u64,
    counts: Vec<u64>,
    /// `seen[ordinal]` is one more than the last document counted for that code, so a verbatim
    /// with two children of one parent counts once for the parent.
    seen: Vec<u32>,
}

impl Collector for CodeCounts {
    type Fruit = Vec<u64>;
    type Child = SegmentCodeCounts;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentCodeCounts> {
        let column = segment.fast_fields().column_opt::<u64>(names::CODE_SRC)?;
        Ok(SegmentCodeCounts {
            column,
            source_mask: self.source_mask,
            counts: vec![0; self.num_codes],
            seen: vec![0; self.num_codes],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        let mut total = vec![0; self.num_codes];
        for fruit in fruits {
            for (t, n) in total.iter_mut().zip(fruit) {
                *t += n;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentCodeCounts {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(column) = &self.column else { return };
        for value in column.values_for_doc(doc) {
            let (ordinal, source) = ((value / 4) as usize, value % 4);
            if self.source_mask & (1 << source) == 0 || ordinal >= self.counts.len() {
                continue;
            }
            if self.seen[ordinal] != doc + 1 {
                self.seen[ordinal] = doc + 1;
                self.counts[ordinal] += 1;
            }
        }
    }

    fn harvest(self) -> Vec<u64> {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_of_no_source_is_every_source() {
        assert_eq!(CodeCounts::new(1, &[]).source_mask & 0b111, 0b111);
        assert_eq!(CodeCounts::new(1, &[Source::Model]).source_mask, 0b010);
    }
}

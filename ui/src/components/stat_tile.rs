//! A big number with a label.

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn StatTile(id: &'static str, label: Msg, value: u64) -> impl IntoView {
    let store = use_store();
    view! {
        <div class="tile">
            <span class="tile-value" id=id>{fmt_count(value)}</span>
            <span class="tile-label">{move || store.tr(label)}</span>
        </div>
    }
}

/// A count with thousands separators: `12,345`.
pub fn fmt_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::fmt_count(0), "0");
        assert_eq!(super::fmt_count(526), "526");
        assert_eq!(super::fmt_count(1000), "1,000");
        assert_eq!(super::fmt_count(1234567), "1,234,567");
    }
}

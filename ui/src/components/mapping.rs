//! The column mapping editor: one select per document field, listing the file's headers.

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;
use vocwb_types::ColumnMapping;

/// A document field a column can map onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapField {
    Text,
    Id,
    Date,
    Nps,
    Customer,
    Dealer,
    Model,
}

impl MapField {
    pub const ALL: [MapField; 7] =
        [MapField::Text, MapField::Id, MapField::Date, MapField::Nps, MapField::Customer, MapField::Dealer, MapField::Model];

    pub fn slug(self) -> &'static str {
        match self {
            MapField::Text => "text",
            MapField::Id => "id",
            MapField::Date => "date",
            MapField::Nps => "nps",
            MapField::Customer => "customer",
            MapField::Dealer => "dealer",
            MapField::Model => "model",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            MapField::Text => Msg::FieldText,
            MapField::Id => Msg::FieldId,
            MapField::Date => Msg::FieldDate,
            MapField::Nps => Msg::FieldNps,
            MapField::Customer => Msg::FieldCustomer,
            MapField::Dealer => Msg::FieldDealer,
            MapField::Model => Msg::FieldModel,
        }
    }

    fn slot(self, m: &mut ColumnMapping) -> &mut Option<String> {
        match self {
            MapField::Text => &mut m.text,
            MapField::Id => &mut m.id,
            MapField::Date => &mut m.date,
            MapField::Nps => &mut m.nps,
            MapField::Customer => &mut m.customer,
            MapField::Dealer => &mut m.dealer,
            MapField::Model => &mut m.model,
        }
    }

    pub fn get(self, m: &ColumnMapping) -> Option<String> {
        match self {
            MapField::Text => m.text.clone(),
            MapField::Id => m.id.clone(),
            MapField::Date => m.date.clone(),
            MapField::Nps => m.nps.clone(),
            MapField::Customer => m.customer.clone(),
            MapField::Dealer => m.dealer.clone(),
            MapField::Model => m.model.clone(),
        }
    }

    pub fn set(self, m: &mut ColumnMapping, column: Option<String>) {
        *self.slot(m) = column;
    }

    /// The id of this field's select.
    pub fn select_id(self) -> String {
        format!("map-{}", self.slug())
    }
}

#[component]
pub fn MappingEditor(
    headers: Vec<String>,
    mapping: ColumnMapping,
    on_change: Callback<(MapField, Option<String>)>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let store = use_store();
    MapField::ALL
        .into_iter()
        .map(|field| {
            let current = field.get(&mapping);
            let options = headers
                .iter()
                .map(|h| {
                    let selected = current.as_deref() == Some(h.as_str());
                    view! { <option value=h.clone() selected=selected>{h.clone()}</option> }
                })
                .collect_view();
            let id = field.select_id();
            view! {
                <div class="map-field">
                    <label for=id.clone()>{move || store.tr(field.label())}</label>
                    <select
                        id=id
                        disabled=move || disabled.get()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            on_change.run((field, (!v.is_empty()).then_some(v)));
                        }
                    >
                        <option value="" selected=current.is_none()>{move || store.tr(Msg::MapAuto)}</option>
                        {options}
                    </select>
                </div>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let mut m = ColumnMapping::default();
        for (i, f) in MapField::ALL.into_iter().enumerate() {
            f.set(&mut m, Some(format!("c{i}")));
        }
        for (i, f) in MapField::ALL.into_iter().enumerate() {
            assert_eq!(f.get(&m), Some(format!("c{i}")));
        }
        assert_eq!(m.text.as_deref(), Some("c0"));
        assert_eq!(m.model.as_deref(), Some("c6"));
    }
}

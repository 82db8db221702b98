//! Column mapping: explicit names from the user win; otherwise common Chinese and English
//! header names are recognised.

use crate::error::{Error, Result};
use vocwb_types::ColumnMapping;

/// Header names seen in real exports, most specific first. Compared after trimming and lower-casing.
const TEXT: &[&str] = &[
    "text", "verbatim", "content", "comment", "comments", "feedback", "answer", "open_end", "open end", "review",
    "message", "body", "开放题回答", "开放题", "回答", "内容", "文本", "评论", "评论内容", "反馈内容", "反馈", "意见",
    "建议", "帖子内容", "正文", "原文", "留言", "描述", "问题描述",
];
const ID: &[&str] = &[
    "id", "external_id", "response_id", "responseid", "post_id", "content_id", "comment_id", "ticket_id", "case_id",
    "record_id", "响应id", "编号", "id号", "评论id", "帖子id", "工单号", "工单编号", "记录id", "序号",
];
const DATE: &[&str] = &[
    "date", "created_at", "created", "time", "timestamp", "submitted_at", "datetime", "日期", "时间", "提交时间",
    "发布时间", "创建时间", "反馈时间", "来电时间",
];
const NPS: &[&str] = &[
    "nps", "nps_score", "nps score", "score", "likelihood to recommend", "ltr", "nps评分", "推荐度", "推荐意愿",
    "推荐分", "推荐评分", "评分",
];
const CUSTOMER: &[&str] = &[
    "customer_id", "customer", "user_id", "user", "member_id", "vin", "客户编号", "客户id", "用户id", "会员id",
    "用户编号", "客户",
];
const DEALER: &[&str] = &["dealer", "store", "dealer_name", "shop", "经销商", "门店", "4s店", "店铺", "网点"];
const MODEL: &[&str] = &["model", "vehicle_model", "car_model", "vehicle", "车型", "车系", "购买车型"];

fn normalise(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_lowercase()
}

fn guess(headers: &[String], names: &[&str], taken: &[usize]) -> Option<usize> {
    let norm: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    for name in names {
        if let Some(i) = norm.iter().position(|h| h == name) {
            if !taken.contains(&i) {
                return Some(i);
            }
        }
    }
    None
}

/// Column indexes of each document field within one file's headers.
#[derive(Debug, Clone, Default)]
pub struct ResolvedMapping {
    pub text: usize,
    pub id: Option<usize>,
    pub date: Option<usize>,
    pub nps: Option<usize>,
    pub customer: Option<usize>,
    pub dealer: Option<usize>,
    pub model: Option<usize>,
}

impl ResolvedMapping {
    /// Resolves `wanted` (explicit names) against `headers`, guessing what was not given.
    pub fn resolve(file: &str, headers: &[String], wanted: &ColumnMapping) -> Result<ResolvedMapping> {
        let find = |field: &str, name: &Option<String>| -> Result<Option<usize>> {
            match name {
                None => Ok(None),
                Some(n) => {
                    let target = normalise(n);
                    headers.iter().position(|h| normalise(h) == target).map(Some).ok_or_else(|| {
                        Error::input(
                            file,
                            Some(1),
                            Some(n),
                            format!("no column named '{n}' for {field}; the header has: {}", headers.join(", ")),
                        )
                    })
                }
            }
        };
        let mut taken = Vec::new();
        let mut pick = |field: &str, name: &Option<String>, names: &[&str]| -> Result<Option<usize>> {
            let i = match find(field, name)? {
                Some(i) => Some(i),
                None => guess(headers, names, &taken),
            };
            if let Some(i) = i {
                taken.push(i);
            }
            Ok(i)
        };
        let text = pick("text", &wanted.text, TEXT)?;
        let id = pick("id", &wanted.id, ID)?;
        let date = pick("date", &wanted.date, DATE)?;
        let nps = pick("nps", &wanted.nps, NPS)?;
        let customer = pick("customer", &wanted.customer, CUSTOMER)?;
        let dealer = pick("dealer", &wanted.dealer, DEALER)?;
        let model = pick("model", &wanted.model, MODEL)?;
        let text = text.ok_or_else(|| {
            Error::input(
                file,
                Some(1),
                None,
                format!(
                    "no text column found; choose the column that holds the text (the header has: {})",
                    headers.join(", ")
                ),
            )
        })?;
        Ok(ResolvedMapping { text, id, date, nps, customer, dealer, model })
    }

    /// The mapping as column names, for reports and previews.
    pub fn describe(&self, headers: &[String]) -> ColumnMapping {
        let name = |i: Option<usize>| i.map(|i| headers[i].clone());
        ColumnMapping {
            text: name(Some(self.text)),
            id: name(self.id),
            date: name(self.date),
            nps: name(self.nps),
            customer: name(self.customer),
            dealer: name(self.dealer),
            model: name(self.model),
        }
    }

    pub fn is_mapped(&self, i: usize) -> bool {
        i == self.text
            || [self.id, self.date, self.nps, self.customer, self.dealer, self.model].contains(&Some(i))
    }
}

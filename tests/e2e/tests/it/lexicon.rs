//! The lexicon screen: search, add, edit, a refused edit, delete, export and import back.

use vocwb_e2e::{action, check, find, App, Home};
use vocwb_engine::Project;
use vocwb_types::Polarity;

fn stored_term(home: &Home, term: &str) -> Option<vocwb_types::LexiconTerm> {
    Project::open(&home.demo_dir()).unwrap().lexicon().unwrap().terms.into_iter().find(|t| t.term == term)
}

#[tokio::test]
async fn lexicon_search_add_edit_delete_export_and_import() {
    let home = Home::new();
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-lexicon").await;
    find::id(&app, "page-lexicon").await;

    let shipped = Project::open(&home.demo_dir()).unwrap().lexicon().unwrap();
    check::text_contains(&app, "lexicon-summary", &format!("共 {} 个词条", shipped.terms.len())).await;
    app.screenshot("20-lexicon-zh").await;

    // Search narrows the table to the terms whose fields contain the query.
    action::type_into(&app, "lexicon-search", "顿挫").await;
    let expected = shipped.terms.iter().filter(|t| t.term.contains("顿挫") || t.variants.iter().any(|v| v.contains("顿挫"))).count();
    assert!(expected > 0, "the shipped lexicon has 顿挫");
    check::text_contains(&app, "lexicon-summary", &format!("匹配 {expected} 个")).await;
    let rows = app.client.find_all(fantoccini::Locator::Css("#lexicon-table tbody tr")).await.unwrap();
    assert_eq!(rows.len(), expected);
    action::click(&app, "lexicon-search").await;

    // Add a term mapped to an existing code.
    let code = shipped.terms[0].codes[0].clone();
    action::click(&app, "lexicon-new").await;
    action::type_into(&app, "lexicon-term", "端到端词").await;
    action::type_into(&app, "lexicon-variants", "端到端，e2e词").await;
    action::type_into(&app, "lexicon-codes", &code).await;
    action::select(&app, "lexicon-polarity", "pain").await;
    action::click(&app, "lexicon-save").await;
    check::text(&app, "lexicon-done", "已保存").await;
    let added = stored_term(&home, "端到端词").expect("the engine has the new term");
    assert_eq!(added.variants, ["端到端", "e2e词"]);
    assert_eq!(added.codes, std::slice::from_ref(&code));
    assert_eq!(added.polarity, Some(Polarity::Pain));
    check::text_contains(&app, "lexicon-editor-title", "编辑词条").await;

    // Edit it in place: add a gloss.
    action::type_into(&app, "lexicon-gloss", "end to end").await;
    action::click(&app, "lexicon-save").await;
    check::text(&app, "lexicon-done", "已保存").await;
    let mut wait = 0;
    while stored_term(&home, "端到端词").map(|t| t.gloss_en) != Some("end to end".into()) {
        wait += 1;
        assert!(wait < 50, "the gloss never reached the engine");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // An unknown code is refused as the engine words it, and nothing changes.
    action::type_into(&app, "lexicon-codes", "NOPE.X").await;
    check::text_contains(&app, "lexicon-code-names", "未知编码").await;
    action::click(&app, "lexicon-save").await;
    check::text_contains(&app, "lexicon-error", "unknown code 'NOPE.X'").await;
    app.screenshot("21-lexicon-refused-zh").await;
    assert_eq!(stored_term(&home, "端到端词").unwrap().codes, std::slice::from_ref(&code));

    // Export, delete, import the export back: the term returns.
    let export = home.work("lexicon.csv");
    action::type_into(&app, "lexicon-export-path", export.to_str().unwrap()).await;
    action::click(&app, "lexicon-export-run").await;
    check::text_contains(&app, "lexicon-done", "lexicon.csv").await;
    assert!(std::fs::read_to_string(&export).unwrap().contains("端到端词"));

    action::click(&app, "lexicon-delete").await;
    check::text(&app, "lexicon-done", "已删除").await;
    assert!(stored_term(&home, "端到端词").is_none());
    check::text_contains(&app, "lexicon-summary", &format!("共 {} 个词条", shipped.terms.len())).await;

    action::type_into(&app, "lexicon-import-path", export.to_str().unwrap()).await;
    action::click(&app, "lexicon-import-run").await;
    check::text(&app, "lexicon-done", "已导入词库").await;
    assert_eq!(stored_term(&home, "端到端词").map(|t| t.codes), Some(vec![code]));
    check::text_contains(&app, "lexicon-summary", &format!("共 {} 个词条", shipped.terms.len() + 1)).await;

    // The keyboard walks the table: ArrowDown from a focused row edits the next term.
    // End, then Backspace over 顿挫: the table shows every term again.
    find::id(&app, "lexicon-search").await.send_keys("\u{E010}\u{E003}\u{E003}").await.unwrap();
    check::text_contains(&app, "lexicon-summary", "个变体").await;
    let first = &shipped.terms[0].term;
    let link = app.client.find(fantoccini::Locator::Css(&format!("button.term-link[data-term=\"{first}\"]"))).await.unwrap();
    link.click().await.unwrap();
    link.send_keys("\u{E015}").await.unwrap();
    let second = &shipped.terms[1].term;
    let mut shown = String::new();
    for _ in 0..50 {
        shown = find::id(&app, "lexicon-term").await.prop("value").await.unwrap().unwrap_or_default();
        if &shown == second {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(&shown, second, "ArrowDown moved to the next term");

    action::click(&app, "lang-toggle").await;
    check::text_contains(&app, "lexicon-summary", "terms").await;
    app.screenshot("22-lexicon-en").await;
    app.close().await;
}

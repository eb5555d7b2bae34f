//! The language choice, and the catalog's completeness: every key in both
//! languages, and every key the code names present in the catalog.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;

#[test]
fn codes_round_trip() {
    for lang in Lang::ALL {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
    }
    assert_eq!(Lang::from_code("ZH-cn"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_code("fr"), None);
    assert_eq!(Lang::ZhCn.html_lang(), "zh-CN");
}

#[test]
fn accept_language_picks_the_best_supported_range() {
    let cases = [
        ("zh-CN,zh;q=0.9,en;q=0.8", Some(Lang::ZhCn)),
        ("zh", Some(Lang::ZhCn)),
        ("zh-Hans", Some(Lang::ZhCn)),
        ("zh-Hans-HK", Some(Lang::ZhCn)),
        ("zh-SG", Some(Lang::ZhCn)),
        ("zh_CN", Some(Lang::ZhCn)),
        ("en-GB,en;q=0.9", Some(Lang::En)),
        // Weights beat order.
        ("en;q=0.5, zh-CN", Some(Lang::ZhCn)),
        ("zh;q=0.4, en-US;q=0.6", Some(Lang::En)),
        // Equal weights keep the client's order.
        ("zh-CN, en", Some(Lang::ZhCn)),
        // Traditional Chinese is skipped, not mistaken for Simplified.
        ("zh-TW", None),
        ("zh-Hant", None),
        ("zh-HK, fr", None),
        ("zh-TW, zh;q=0.8", Some(Lang::ZhCn)),
        // q=0 means "not this one"; malformed weights are ignored.
        ("zh-CN;q=0, en;q=0.1", Some(Lang::En)),
        ("zh-CN;q=lots, en;q=0.1", Some(Lang::En)),
        ("fr-FR, de", None),
        ("*", None),
        ("", None),
    ];
    for (header, expected) in cases {
        assert_eq!(best_accepted(header), expected, "{header:?}");
    }
}

#[test]
fn stored_choice_beats_cookie_beats_accept_language() {
    let zh = Some("zh-CN");
    assert_eq!(choose(Some(Lang::En), Some("zh-CN"), zh), Lang::En);
    assert_eq!(choose(None, Some("en"), zh), Lang::En);
    // A cookie we cannot read is ignored, not obeyed.
    assert_eq!(choose(None, Some("klingon"), zh), Lang::ZhCn);
    assert_eq!(choose(None, None, zh), Lang::ZhCn);
    assert_eq!(choose(None, None, Some("fr")), Lang::En);
    assert_eq!(choose(None, None, None), Lang::En);
}

#[test]
fn lookups_fill_placeholders_and_show_missing_keys() {
    assert_eq!(t(Lang::ZhCn, "error.not_found.title"), "页面不存在");
    assert_eq!(
        t_args(Lang::En, "error.status", &[("status", "404")]),
        "Error 404"
    );
    // rust-i18n shows a missing key as itself; the e2e tests look for that.
    assert_eq!(t(Lang::ZhCn, "home.no_such_key"), "home.no_such_key");
}

/// Every catalog in `locales/` merged (rust-i18n loads them all): key →
/// language → text. A key defined in two files fails.
fn catalog() -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut merged = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yml") {
            continue;
        }
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut raw: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("{name} is not valid YAML with unique keys: {e}"));
        assert_eq!(
            raw.remove("_version"),
            Some(2.into()),
            "{name} needs `_version: 2`"
        );
        for (key, value) in raw {
            let texts = serde_json::from_value(value)
                .unwrap_or_else(|e| panic!("{key}: expected `en:` and `zh-CN:` texts: {e}"));
            assert!(
                merged.insert(key.clone(), texts).is_none(),
                "{key} is defined twice ({name})"
            );
        }
    }
    merged
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split("%{")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn every_key_has_a_text_in_each_language() {
    let codes: BTreeSet<String> = Lang::ALL.iter().map(|l| l.code().to_owned()).collect();
    let catalog = catalog();
    assert!(!catalog.is_empty());
    for (key, texts) in &catalog {
        assert!(is_key(key), "{key}: keys are `area.name`, lower case");
        let langs: BTreeSet<String> = texts.keys().cloned().collect();
        assert_eq!(langs, codes, "{key}: needs exactly these languages");
        for (lang, text) in texts {
            assert!(!text.trim().is_empty(), "{key}: the {lang} text is empty");
        }
        let en = placeholders(&texts["en"]);
        let zh = placeholders(&texts["zh-CN"]);
        assert_eq!(en, zh, "{key}: both languages must fill the same %{{…}}");
    }
}

#[test]
fn every_key_the_code_names_is_in_the_catalog_and_every_key_is_used() {
    let catalog = catalog();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in [root.join("src"), root.join("../../templates")] {
        read_sources(&dir, &mut sources);
    }
    // A key's area is known from the catalog or from a `t("area.…")` call,
    // so a whole area missing from the catalog is caught too.
    let mut areas: BTreeSet<String> = catalog.keys().map(|k| area(k).to_owned()).collect();
    for (_, text) in &sources {
        for call in ["t(\"", "t_args(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                let key = rest.split('"').next().unwrap_or_default();
                if is_key(key) {
                    areas.insert(area(key).to_owned());
                }
            }
        }
    }
    let mut named = BTreeMap::new();
    for (file, text) in &sources {
        // Every stretch between two quotes, not just odd ones: in templates
        // a key's quotes sit inside an attribute's (`aria-label="{{ t("…") }}"`).
        for quoted in text.split('"') {
            // `#[template(path = "error.html")]` is a file, not a key.
            let is_file = quoted.ends_with(".html");
            if !is_file && is_key(quoted) && areas.contains(area(quoted)) {
                named.insert(quoted.to_owned(), file.clone());
            }
        }
    }
    let missing: Vec<String> = named
        .iter()
        .filter(|(key, _)| !catalog.contains_key(*key))
        .map(|(key, file)| format!("{key} (named in {file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "missing from the catalogs:\n{}",
        missing.join("\n")
    );
    let unused: Vec<&String> = catalog.keys().filter(|k| !named.contains_key(*k)).collect();
    assert!(
        unused.is_empty(),
        "in the catalogs but nothing uses them: {unused:?}"
    );
}

fn area(key: &str) -> &str {
    key.split('.').next().unwrap_or_default()
}

/// `area.name`, lower case, each part starting with a letter.
fn is_key(text: &str) -> bool {
    text.split_once('.').is_some()
        && text.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// Every file under `dir` with its text, but this one, which names missing
/// keys on purpose.
fn read_sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_sources(&path, out);
        } else if path.file_name().is_some_and(|n| n != "i18n_tests.rs")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push((path.display().to_string(), text));
        }
    }
}

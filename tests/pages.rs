//! The built site: every page in both languages, badges with symbol and
//! text, translations and their fallbacks, links, fiscal years, counts, and
//! no script from content ever reaching a page.

mod common;

use common::*;

/// The standard fixture, built.
fn built() -> Site {
    let site = Site::new();
    let run = site.build();
    run.assert_code(0);
    assert!(run.stdout.contains("built "), "{run}");
    site
}

/// The page paths (under public/) of every kind of page, Japanese version.
const PAGES: &[&str] = &[
    "index.html",
    "plan1/index.html",
    "plan1/01-alpha/index.html",
    "plan1/02-beta/index.html",
    "plan1/t-001/index.html",
    "plan1/t-002/index.html",
    "plan1/t-003/index.html",
    "plan1/t-004/index.html",
    "departments/index.html",
    "departments/testcity/joho/index.html",
    "departments/testcity/kikaku/index.html",
    "plan1/status/index.html",
    "plan1/status/jisshi/in_progress/2023/index.html",
    "plan1/status/jisshi/unreported/2023/index.html",
];

/// The `href` of the language switcher of a page.
fn switch_href(html: &str) -> String {
    let a = between(html, "class=\"lang-switch\"", ">");
    hrefs(a).into_iter().next().expect("a link")
}

#[test]
fn every_kind_of_page_exists_in_both_languages() {
    let site = built();
    for page in PAGES {
        let ja = site.page(page);
        assert!(ja.contains("<html lang=\"ja\">"), "{page}");
        let en_page = format!("en/{page}");
        let en = site.page(&en_page);
        assert!(en.contains("<html lang=\"en\">"), "{en_page}");
    }
    // Titles in each language.
    assert!(site
        .page("plan1/index.html")
        .contains("<h1>試験市行財政改革プラン</h1>"));
    assert!(site
        .page("en/plan1/index.html")
        .contains("<h1>Test City Administrative Reform Plan</h1>"));
    assert!(site
        .page("en/plan1/01-alpha/index.html")
        .contains("Digital administrative procedures"));
    assert!(site
        .page("en/departments/testcity/joho/index.html")
        .contains("Information Policy Division"));
    assert!(site
        .page("departments/testcity/joho/index.html")
        .contains("情報政策課"));
    // A department page lists its initiatives.
    let dep = decode(&site.page("departments/testcity/joho/index.html"));
    assert!(dep.contains("plan1/t-001/"), "{dep}");
    assert!(!dep.contains("plan1/t-002/"), "{dep}");
}

#[test]
fn not_found_pages_exist_in_both_languages() {
    let site = built();
    let ja = site.page("404.html");
    assert!(ja.contains("ページが見つかりません"), "{ja}");
    let en = site.page("en/404.html");
    assert!(en.contains("Page not found"), "{en}");
    // Served at any address, so its links start at the site's path.
    let links = hrefs(&en);
    assert!(links.iter().any(|h| h == "/kaikaku/en/"), "{links:?}");
    assert!(
        links
            .iter()
            .filter(|h| {
                !h.starts_with("http")
                    && !h.starts_with('#')
                    && !h.starts_with("mailto:")
                    && !h.starts_with("data:")
            })
            .all(|h| h.starts_with("/kaikaku/")),
        "{links:?}"
    );
}

#[test]
fn every_link_between_pages_leads_to_a_built_file() {
    let site = built();
    let files = site.listing("public");
    let mut checked = 0;
    for page in files.iter().filter(|f| f.ends_with(".html")) {
        let html = site.page(page);
        for href in hrefs(&html).into_iter().chain(srcs(&html)) {
            if href.starts_with("http")
                || href.starts_with("mailto:")
                || href.starts_with('#')
                || href.starts_with("data:")
            {
                continue;
            }
            let href = href.split(['?', '#']).next().unwrap_or("");
            let target = match href.strip_prefix("/kaikaku/") {
                Some(rest) => resolve("index.html", rest),
                None => resolve(page, href),
            };
            assert!(
                files.contains(&target),
                "{page} links to {href}, which is {target}: not built"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

/// The `src` of every image, script or frame in some HTML, decoded.
fn srcs(html: &str) -> Vec<String> {
    html.split(" src=\"")
        .skip(1)
        .map(|s| decode(&s[..s.find('"').unwrap_or(0)]))
        .collect()
}

#[test]
fn ids_are_unique_and_labels_point_at_them() {
    let site = built();
    for page in site
        .listing("public")
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = site.page(page);
        let ids: Vec<String> = html
            .split(" id=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap_or(0)].to_string())
            .collect();
        for (n, id) in ids.iter().enumerate() {
            assert!(!ids[..n].contains(id), "{page}: id {id:?} twice");
        }
        for attr in [" aria-labelledby=\"", " aria-describedby=\"", " href=\"#"] {
            for s in html.split(attr).skip(1) {
                let target = &s[..s.find('"').unwrap_or(0)];
                assert!(
                    ids.iter().any(|i| i == target),
                    "{page}: {attr}{target} has no element"
                );
            }
        }
    }
}

#[test]
fn the_language_switcher_leads_to_the_same_page() {
    let site = built();
    for page in PAGES {
        let ja = site.page(page);
        let en_page = format!("en/{page}");
        assert_eq!(resolve(page, &switch_href(&ja)), en_page, "from {page}");
        let en = site.page(&en_page);
        assert_eq!(
            resolve(&en_page, &switch_href(&en)),
            *page,
            "from {en_page}"
        );
    }
}

#[test]
fn hreflang_alternates_name_both_languages() {
    let site = built();
    for page in PAGES {
        let dir = page.trim_end_matches("index.html");
        let expect = [
            format!("<link rel=\"alternate\" hreflang=\"ja\" href=\"https://example.jp/kaikaku/{dir}\">"),
            format!("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.jp/kaikaku/en/{dir}\">"),
        ];
        for html in [site.page(page), site.page(&format!("en/{page}"))] {
            let html = decode(&html);
            for link in &expect {
                assert!(html.contains(link), "{page}: no {link}");
            }
        }
    }
}

#[test]
fn an_initiative_page_shows_its_status_as_symbol_and_text() {
    let site = built();
    let current = |page: &str| {
        let html = site.page(page);
        badges(between(&html, "class=\"current-status\"", "</p>"))
    };
    let pair = |a: &str, b: &str| vec![(a.to_string(), b.to_string())];
    assert_eq!(current("plan1/t-001/index.html"), pair("○", "実施中"));
    assert_eq!(
        current("en/plan1/t-001/index.html"),
        pair("○", "In progress")
    );
    assert_eq!(current("plan1/t-002/index.html"), pair("◎", "完了"));
    // Two rows, ○ and unrated: the rated row decides.
    assert_eq!(current("plan1/t-003/index.html"), pair("○", "実施中"));
    assert_eq!(current("plan1/t-004/index.html"), pair("—", "該当なし"));

    // The timeline: one cell per year of the plan.
    let html = site.page("plan1/t-001/index.html");
    let timeline = between(&html, "<table class=\"timeline\"", "</table>");
    assert_eq!(
        badges(timeline),
        [
            ("◎", "完了"),
            ("◎", "完了"),
            ("○", "実施中"),
            // FY2024 comes after the reporting year: planned, not "not reported".
            ("", "予定")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // The same badge in the plan's tree.
    let plan = site.page("plan1/index.html");
    let row = between(&plan, "電子申請の拡充", "</li>");
    assert!(
        badges(row).contains(&("○".into(), "実施中".into())),
        "{row}"
    );
}

#[test]
fn untranslated_text_is_shown_in_japanese_marked_as_such() {
    let site = built();
    // t-002 has no English file.
    let en = site.page("en/plan1/t-002/index.html");
    assert!(
        en.contains("<h1><span lang=\"ja\">窓口のキャッシュレス化</span></h1>"),
        "{en}"
    );
    assert!(en.contains("notice-untranslated"), "no notice: {en}");
    assert!(text_of(&en).contains("not been translated into English yet"));
    let ja = site.page("plan1/t-002/index.html");
    assert!(!ja.contains("notice-untranslated"));
    assert!(ja.contains("<h1>窓口のキャッシュレス化</h1>"));
    // In lists too.
    let list = site.page("en/plan1/01-alpha/index.html");
    assert!(
        list.contains("<span lang=\"ja\">窓口のキャッシュレス化</span>"),
        "{list}"
    );

    // t-001 is translated completely: English, no notice, no Japanese title.
    let en = site.page("en/plan1/t-001/index.html");
    assert!(
        en.contains("<h1>Expanding online applications</h1>"),
        "{en}"
    );
    assert!(!en.contains("notice-untranslated"), "{en}");
    assert!(!en.contains("電子申請の拡充"), "{en}");
    assert!(en.contains("Put procedures online."));
    assert!(!en.contains("手続をオンライン化する。"));
    let ja = site.page("plan1/t-001/index.html");
    assert!(ja.contains("<h1>電子申請の拡充</h1>"));
    assert!(!ja.contains("Expanding online applications"));
}

#[test]
fn fiscal_years_are_shown_the_way_each_language_writes_them() {
    let site = built();
    let ja = site.page("plan1/t-001/index.html");
    assert!(ja.contains("令和5年度（2023年度）"), "{ja}");
    assert!(ja.contains("令和3年度（2021年度）"));
    let en = site.page("en/plan1/t-001/index.html");
    for fy in ["FY2021", "FY2022", "FY2023", "FY2024"] {
        assert!(en.contains(fy), "{fy}");
    }
    assert!(!en.contains("令和") && !en.contains("年度"), "{en}");
    let plan = site.page("plan1/index.html");
    assert!(plan.contains("令和5年度（2023年度）"));
    let plan = site.page("en/plan1/index.html");
    assert!(plan.contains("FY2023") && !plan.contains("令和"));
    // A former department name with the year it ended.
    // (the former name is marked lang="ja", so tags split the text)
    assert!(
        text_of(&ja)
            .replace(' ', "")
            .contains("令和3年度まで情報管理課"),
        "{ja}"
    );
    assert!(text_of(&en).contains("until FY2021"));
}

#[test]
fn an_arrow_in_a_plan_cell_says_same_as_the_previous_year() {
    let site = built();
    let ja = site.page("plan1/t-001/index.html");
    let schedule = between(&ja, "<table class=\"schedule\">", "</table>");
    let r5 = text_of(between(schedule, "令和5年度（2023年度）", "</tr>"));
    assert!(r5.contains("前年度と同じ"), "{r5}");
    // …and what that was.
    assert!(r5.contains("システムの導入"), "{r5}");
    let r6 = text_of(between(schedule, "令和6年度（2024年度）", "</tr>"));
    assert!(r6.contains("計画なし"), "{r6}");
    assert!(!r6.contains("前年度と同じ"), "{r6}");
    let r4 = text_of(between(schedule, "令和4年度（2022年度）", "</tr>"));
    assert!(!r4.contains("前年度と同じ"), "{r4}");

    let en = site.page("en/plan1/t-001/index.html");
    let schedule = between(&en, "<table class=\"schedule\">", "</table>");
    let r5 = text_of(between(schedule, "FY2023", "</tr>"));
    assert!(r5.contains("Same as previous year"), "{r5}");
    assert!(r5.contains("Introducing the system"), "{r5}");
}

#[test]
fn a_plan_page_counts_every_status() {
    let site = built();
    // FY2023 over five schedule rows: ○ ○ ◎ — and one not rated.
    let ja = counts_table(&site.page("plan1/index.html"));
    // Years up to the reporting year (FY2023): FY2024 has no results yet
    // and is not counted (issue 11).
    assert_eq!(ja[0], ["状況", "令和3年度", "令和4年度", "令和5年度"]);
    assert!(!site
        .path("public/plan1/status/jisshi/unreported/2024/index.html")
        .exists());
    for (row, r4, r5) in [
        ("◎ 完了", "2", "1"),
        ("○ 実施中", "1", "2"),
        ("△ 未着手", "1", "0"),
        ("— 該当なし", "0", "1"),
        ("未報告", "1", "1"),
        ("合計", "5", "5"),
    ] {
        assert_eq!(cell(&ja, row, "令和4年度"), r4, "FY2022 {row}");
        assert_eq!(cell(&ja, row, "令和5年度"), r5, "FY2023 {row}");
    }
    let en = counts_table(&site.page("en/plan1/status/index.html"));
    for (row, n) in [
        ("◎ Completed", "1"),
        ("○ In progress", "2"),
        ("△ Not started", "0"),
        ("— Not applicable", "1"),
        ("Not reported", "1"),
        ("Total", "5"),
    ] {
        assert_eq!(cell(&en, row, "FY2023"), n, "FY2023 {row}");
    }

    // A count links to the listing of what it counts.
    let html = site.page("plan1/index.html");
    let table = between(&html, "<table class=\"counts\">", "</table>");
    let link = hrefs(table)
        .into_iter()
        .find(|h| h.contains("in_progress/2023"))
        .expect("a link to the ○ FY2023 listing");
    assert_eq!(
        resolve("plan1/index.html", &link),
        "plan1/status/jisshi/in_progress/2023/index.html"
    );
    let listing = decode(&site.page("plan1/status/jisshi/in_progress/2023/index.html"));
    let main = between(&listing, "<main", "</main>");
    let listed: Vec<String> = hrefs(main)
        .into_iter()
        .filter(|h| h.contains("/t-"))
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].ends_with("plan1/t-001/") && listed[1].ends_with("plan1/t-003/"));
    let unrated = decode(&site.page("plan1/status/jisshi/unreported/2023/index.html"));
    let main = between(&unrated, "<main", "</main>");
    let listed: Vec<String> = hrefs(main)
        .into_iter()
        .filter(|h| h.contains("/t-"))
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].ends_with("plan1/t-003/"));
    assert!(text_of(main).contains("跡地活用"), "the row is named");
}

#[test]
fn a_derived_scale_is_counted_per_section() {
    let site = Site::new();
    site.add_rated_plan("A", &["A", "A", "B"]);
    site.build().assert_code(0);
    let html = site.page("plan2/index.html");
    let tables: Vec<Vec<Vec<String>>> = html
        .match_indices("<table class=\"counts\">")
        .map(|(i, _)| counts_table(&html[i..]))
        .collect();
    assert_eq!(tables.len(), 2);
    // 個別評価 (initiatives) and 評価 (sections), FY2023.
    assert_eq!(cell(&tables[0], "A", "令和5年度"), "2");
    assert_eq!(cell(&tables[0], "B", "令和5年度"), "1");
    assert_eq!(cell(&tables[0], "C", "令和5年度"), "0");
    assert_eq!(cell(&tables[1], "A", "令和5年度"), "1");
    assert_eq!(cell(&tables[1], "合計", "令和5年度"), "1");
    assert_eq!(cell(&tables[0], "合計", "令和4年度"), "3");
    assert_eq!(cell(&tables[0], "未報告", "令和4年度"), "3");
}

/// Tags of some HTML that run script: `<script>`, `<iframe>`, `on…=`
/// attributes, `javascript:` addresses. Text (escaped `&lt;…`) is no tag.
/// The theme's print script, from the site's root: `../../assets/print.js`,
/// or from the site's path on the 404 page.
fn is_print_script(tag: &str) -> bool {
    tag.strip_prefix("script type=\"module\" src=\"")
        .and_then(|s| s.strip_suffix('"'))
        .is_some_and(|s| {
            let relative = s.trim_start_matches("./").trim_start_matches("../");
            !relative.contains("..")
                && (relative == "assets/print.js"
                    || (s.starts_with('/') && s.ends_with("/assets/print.js")))
        })
}

fn script_tags(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in html.split('<').skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if tag.starts_with('/') {
            continue;
        }
        let lower = tag.to_lowercase();
        // Browsers also take `/` between attributes: <svg/onload=…>.
        let mut words = lower
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty());
        let name = words.next().unwrap_or("");
        let bad_attr = words.any(|a| a.starts_with("on") && a.contains('='));
        if matches!(name, "script" | "iframe" | "object" | "embed")
            || bad_attr
            || decode(&lower).contains("javascript:")
        {
            found.push(tag.to_string());
        }
    }
    found
}

#[test]
fn raw_html_in_content_never_runs_on_a_page() {
    let site = Site::new();
    let evil = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n<a href=\"javascript:alert(3)\">link</a> <iframe src=\"https://evil.example/\"></iframe>\n\n<p onclick=\"alert(4)\">安全な本文</p>\n";
    let a1 = format!("{ALPHA}/a1.md");
    site.edit(
        &a1,
        "手続をオンライン化する。",
        &format!("手続をオンライン化する。\n\n{evil}"),
    );
    site.edit(
        &a1,
        "R3 = \"対象手続の調査\"",
        "R3 = \"<b onmouseover=alert(5)>対象手続</b>の調査\"",
    );
    site.edit(
        &a1,
        "source = { page = 3 }",
        "source = { page = 3 }\nreason = \"<script>alert(6)</script>理由\"\nactivities = [\"<img src=x onerror=alert(7)>活動\"]\n\n[years.R5]\nresult = \"<svg onload=alert(8)>実績</svg>\"",
    );
    site.edit(
        &format!("{ALPHA}/a1.en.md"),
        "Put procedures online.",
        &format!("Put procedures online.\n\n{evil}"),
    );
    site.edit(
        &format!("{ALPHA}/_index.md"),
        "分野アルファの説明。",
        &format!("分野アルファの説明。\n\n{evil}"),
    );
    site.edit(
        "content/plan1/_plan.md",
        "試験市の計画の説明です。",
        &format!("試験市の計画の説明です。\n\n{evil}"),
    );
    site.edit(
        &format!("{ALPHA}/a2.md"),
        "title = \"窓口のキャッシュレス化\"",
        "title = \"<script>alert(9)</script>窓口\"",
    );
    site.pin_translations();
    let run = site.build();
    run.assert_code(0);

    let pages = site.listing("public");
    for page in pages.iter().filter(|p| p.ends_with(".html")) {
        let html = site.page(page);
        // The theme's own search script (and its strings) on the search page
        // and its print script on every page are not from content; anything
        // else is.
        let bad: Vec<String> = script_tags(&html)
            .into_iter()
            .filter(|t| {
                !((page.ends_with("search/index.html")
                    && (t.ends_with("/assets/search.js\"")
                        || t == "script type=\"application/json\" id=\"search-strings\""))
                    || (page.ends_with("data/index.html")
                        && t == "script type=\"application/ld+json\"")
                    || is_print_script(t))
            })
            .collect();
        assert!(bad.is_empty(), "{page} runs script: {bad:?}");
    }
    // The harmless text around it survives, the markup as text where typed as text.
    for page in ["plan1/t-001/index.html", "en/plan1/t-001/index.html"] {
        let html = site.page(page);
        assert!(html.contains("安全な本文"), "{page}");
        assert!(html.contains(">link</a>"), "{page}");
    }
    let html = site.page("plan1/t-001/index.html");
    assert!(text_of(&html).contains("<b onmouseover=alert(5)>対象手続</b>の調査"));
    assert!(text_of(&html).contains("理由"));
    assert!(text_of(&html).contains("活動"));
    assert!(text_of(&html).contains("実績"));
    let html = site.page("plan1/t-002/index.html");
    assert!(
        text_of(&html).contains("<script>alert(9)</script>窓口"),
        "the title is shown as typed"
    );
    for page in ["plan1/01-alpha/index.html", "plan1/index.html"] {
        assert!(site.page(page).contains("安全な本文"), "{page}");
    }
}

#[test]
fn the_script_detector_finds_what_it_looks_for() {
    // The check above is only as good as this detector.
    let raw = "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript&#x3A;alert(3)\">x</a><iframe src=y></iframe><P OnClick=\"z\">t</P><svg/onload=alert(5)>";
    assert_eq!(script_tags(raw).len(), 6, "{:?}", script_tags(raw));
    let safe = "<p class=\"prose\">&lt;script&gt;alert(1)&lt;/script&gt; &lt;img onerror=x&gt; one=two</p><a href=\"../x/\">ok</a>";
    assert!(script_tags(safe).is_empty(), "{:?}", script_tags(safe));
}

#[test]
fn a_plan_says_at_a_glance_how_it_stands_in_its_reporting_year() {
    let site = built();
    let html = decode(&site.page("plan1/index.html"));
    let glance = between(&html, "id=\"glance\"", "</section>");
    // One sentence with every status of FY2023 (the reporting year) …
    let sentence = text_of(between(glance, "<p class=\"headline-sentence\">", "</p>"));
    assert_eq!(
        sentence,
        "令和5年度（2023年度）の年次計画5件の状況：完了 1件、実施中 2件、該当なし 1件、未報告 1件。"
    );
    // … a bar with one segment per status, hidden from screen readers …
    let bar = between(glance, "<svg class=\"status-bar\"", "</svg>");
    assert!(bar.contains("aria-hidden=\"true\""));
    assert_eq!(bar.matches("<rect").count(), 4, "{bar}");
    // … and the reporting year in words.
    assert!(
        text_of(glance).contains("報告対象年度：令和5年度（2023年度）"),
        "{glance}"
    );
    // The home page's card says the same.
    let home = decode(&site.page("index.html"));
    assert!(
        text_of(&home).contains(&sentence),
        "home card lacks {sentence}"
    );
}

/// Issue 27 item 5: the notice says as of when, from the content alone (it
/// said 「（3年度前）」 computed from the build date, frozen into the page).
#[test]
fn the_date_notice_says_as_of_when_whatever_the_build_date() {
    let site = Site::new();
    // 2026-06-01 (FY2026) and 2024-10-01 (FY2024).
    site.build_on(1_780_272_000).assert_code(0);
    let html = decode(&site.page("plan1/index.html"));
    let notice = text_of(between(
        &html,
        "<div class=\"notice notice-asof\"",
        "</div>",
    ));
    assert!(
        notice.contains("掲載している結果は令和5年度（2023年度）分までです（計画期間：令和3年度（2021年度）～令和6年度（2024年度）、2024年9月公表の報告書による）。"),
        "{notice}"
    );
    assert!(!notice.contains("年度前"), "{notice}");
    site.build_on(1_727_740_800).assert_code(0);
    assert_eq!(html, decode(&site.page("plan1/index.html")));
}

#[test]
fn an_initiative_page_tells_this_years_story_before_its_tables() {
    let site = built();
    let html = decode(&site.page("plan1/t-001/index.html"));
    // This year's plan (the arrow resolved to the text it repeats) and status …
    let now = between(&html, "<section class=\"now\"", "</section>");
    let now_text = text_of(now);
    assert!(
        now_text.contains("令和5年度（2023年度）の計画と状況"),
        "{now_text}"
    );
    assert!(
        now_text.contains("オンライン手続の拡大: システムの導入"),
        "{now_text}"
    );
    assert_eq!(badges(now), [("○".to_string(), "実施中".to_string())]);
    // … then the narrative, then the year-by-year table, whose rows are named.
    // (In <main>: the page's meta description quotes the narrative too.)
    let main = between(&html, "<main", "</main>");
    let at = |needle: &str| {
        main.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(at("class=\"now\"") < at("手続をオンライン化する。"));
    assert!(at("手続をオンライン化する。") < at("<table class=\"timeline\""));
    let timeline = between(&html, "<table class=\"timeline\"", "</table>");
    assert!(
        text_of(timeline).contains("オンライン手続の拡大"),
        "{timeline}"
    );
    // The legend has every badge the page shows, 予定 (FY2024) included,
    // and none it does not show.
    let legend = between(&html, "<div class=\"legend-inline\">", "</dl>");
    let keys: Vec<String> = badges(legend).into_iter().map(|b| b.1).collect();
    assert_eq!(keys, ["完了", "実施中", "予定"], "{legend}");
}

#[test]
fn a_one_time_status_is_also_counted_so_far() {
    let site = Site::new();
    site.edit(
        "content/plan1/_plan.md",
        "order = 4\ntone = \"done\"",
        "order = 4\ntone = \"done\"\nonce = true",
    );
    site.build().assert_code(0);
    let html = decode(&site.page("plan1/index.html"));
    let table = counts_table(&html);
    // Completed in each year: 1, 2, 1 — per year, as before …
    assert_eq!(cell(&table, "◎ 完了", "令和3年度"), "1");
    assert_eq!(cell(&table, "◎ 完了", "令和4年度"), "2");
    assert_eq!(cell(&table, "◎ 完了", "令和5年度"), "1");
    // … and so far (rows that have been completed in any year up to then).
    for (year, n) in [("令和3年度", "1"), ("令和4年度", "2"), ("令和5年度", "3")] {
        assert_eq!(cell(&table, "◎ 完了（累計）", year), n, "{year}");
    }
    assert!(text_of(&html).contains("「累計」は、計画の初年度から"));
    // Without `once`, no running total is shown.
    let plain = decode(&built().page("plan1/index.html"));
    assert!(!plain.contains("（累計）"));
}

#[test]
fn a_plan_without_a_schedule_scale_shows_planned_words_and_no_status() {
    // Issue 12 (2): the rows hold only planned words; nobody rates them.
    let site = Site::new();
    site.write(
        "content/plan3/_plan.md",
        "+++\nid = \"plan3\"\nmunicipality = \"testcity\"\ntitle = \"予定だけの計画\"\n\
         period = { first = \"R5\", last = \"R7\" }\nreporting_year = \"R5\"\n\
         levels = [{ ja = \"取組\", en = \"Initiative\" }]\n+++\n",
    )
    .write(
        "content/plan3/p3-001.md",
        "+++\nid = \"p3-001\"\ntitle = \"窓口の見直し\"\n\n[[schedule]]\n[schedule.plan]\n\
         R5 = \"検討\"\nR6 = \"実施\"\nR7 = \"→\"\n+++\n",
    );
    site.build().assert_code(0);
    let html = decode(&site.page("plan3/p3-001/index.html"));
    let main = between(&html, "<main", "</main>");
    let schedule = between(main, "<table class=\"schedule\">", "</table>");
    let text = text_of(schedule);
    assert!(text.contains("検討") && text.contains("実施"), "{text}");
    // No status column, and nothing says the city failed to report.
    assert!(!schedule.contains(">状況<"), "{schedule}");
    assert!(!main.contains("未報告"), "{}", text_of(main));
    // This year's plan is still told first, without a badge.
    let now = text_of(between(main, "<section class=\"now\"", "</section>"));
    assert!(now.contains("検討"), "{now}");
}

/// Issue 12 (1): a programme that ended after FY2022 (R4) in a plan that
/// runs to FY2024 and reports FY2023.
const ENDED: &str = r#"+++
id = "t-009"
title = "紙の申請書の電子化"
ended = { after = "R4", note = "令和4年度までをもって終了（電子申請に統合）" }

[[schedule]]
[schedule.plan]
R3 = "様式の見直し"
R4 = "電子化"
[schedule.status]
R3 = "○"
R4 = "◎"
+++
"#;

#[test]
fn a_programme_that_ended_shows_ended_in_later_years_and_is_counted_apart() {
    let site = Site::new();
    site.write(&format!("{BETA}/b9.md"), ENDED)
        .write(
            &format!("{BETA}/b9.en.md"),
            "+++\ntitle = \"Digitising paper forms\"\nended = { note = \"Ended after FY2022 (merged into online applications)\" }\n+++\n",
        );
    site.build().assert_code(0);

    let html = decode(&site.page("plan1/t-009/index.html"));
    let main = between(&html, "<main", "</main>");
    let notice = text_of(between(main, "class=\"notice ended-notice\"", "</p>"));
    assert!(
        notice.contains("令和4年度（2022年度）をもって終了"),
        "{notice}"
    );
    assert!(notice.contains("電子申請に統合"), "{notice}");
    // Its status now, and the years after the end: ended, never "not reported".
    let current = text_of(between(main, "class=\"current-status\"", "</p>"));
    assert!(current.contains("終了"), "{current}");
    let timeline = between(main, "<table class=\"timeline\"", "</table>");
    let row = text_of(between(timeline, "<tbody>", "</tr>"));
    assert!(!main.contains("未報告"), "{}", text_of(main));
    assert_eq!(row.matches("終了").count(), 2, "FY2023 and FY2024: {row}");
    assert!(row.contains("完了"), "FY2022 keeps its rating: {row}");

    let en = decode(&site.page("en/plan1/t-009/index.html"));
    let notice = text_of(between(&en, "class=\"notice ended-notice\"", "</p>"));
    assert!(notice.contains("Ended after FY2022"), "{notice}");
    assert!(
        notice.contains("merged into online applications"),
        "{notice}"
    );

    // Counts: a group of its own in FY2023; FY2022 counts its rating.
    let ja = counts_table(&site.page("plan1/index.html"));
    for (row, r4, r5) in [
        ("◎ 完了", "3", "1"),
        ("未報告", "1", "1"),
        ("終了", "0", "1"),
        ("合計", "6", "6"),
    ] {
        assert_eq!(cell(&ja, row, "令和4年度"), r4, "FY2022 {row}");
        assert_eq!(cell(&ja, row, "令和5年度"), r5, "FY2023 {row}");
    }
    // The not-reported listing does not hold it.
    let unrated = decode(&site.page("plan1/status/jisshi/unreported/2023/index.html"));
    assert!(!unrated.contains("t-009"), "{}", text_of(&unrated));
}

#[test]
fn a_status_after_a_programme_ended_is_an_error() {
    let site = Site::new();
    site.write(
        &format!("{BETA}/b9.md"),
        &ENDED.replace("R4 = \"◎\"", "R4 = \"◎\"\nR5 = \"○\""),
    );
    let e = site.check().single_error();
    assert!(e.path.ends_with("b9.md"), "{e:?}");
    assert!(e.message.contains("ended after FY2022"), "{e:?}");
    let site = Site::new();
    site.write(
        &format!("{BETA}/b9.md"),
        &ENDED.replace("after = \"R4\"", "after = \"R6\""),
    );
    let e = site.check().single_error();
    assert!(e.message.contains("`ended` after FY2024"), "{e:?}");
}

#[test]
fn a_result_recorded_for_several_years_is_shown_for_its_span() {
    // Issue 12 (6): "令和5年度までの取組実績" covers FY2022–FY2023.
    let site = Site::new();
    site.add_rated_plan("A", &["A", "A", "B"]).write(
        &format!("{PLAN2_MID}/q-9.md"),
        "+++\nid = \"q-9\"\ntitle = \"二年分の実績\"\n\n[years.R5]\nfrom = \"R4\"\n\
         status = \"A\"\nresult = \"令和5年度までの取組実績：窓口を統合した。\"\n+++\n",
    );
    site.build().assert_code(0);
    let html = decode(&site.page("plan2/q-9/index.html"));
    let main = between(&html, "<main", "</main>");
    let entry = text_of(between(main, "<section class=\"year-entry\"", "</h3>"));
    assert!(
        entry.contains("令和4年度〜令和5年度（2022〜2023年度）"),
        "{entry}"
    );
    let timeline = between(main, "<table class=\"timeline\"", "</table>");
    let row = between(timeline, "<tbody>", "</tr>");
    assert!(
        row.contains("colspan=\"2\""),
        "one cell for FY2022–FY2023: {row}"
    );
    assert_eq!(text_of(row).matches('A').count(), 1, "{row}");
    assert!(!main.contains("未報告"), "{}", text_of(main));
    let en = decode(&site.page("en/plan2/q-9/index.html"));
    assert!(text_of(&en).contains("FY2022–FY2023"), "{}", text_of(&en));

    // FY2022 is reported (as part of the span), not "not reported".
    let html = site.page("plan2/index.html");
    let counts = counts_table(&html[html.find("<table class=\"counts\">").unwrap()..]);
    assert_eq!(cell(&counts, "A", "令和4年度"), "1", "{counts:?}");
    assert_eq!(cell(&counts, "A", "令和5年度"), "3", "{counts:?}");
}

#[test]
fn a_span_of_years_must_not_cover_another_entry() {
    let site = Site::new();
    site.add_rated_plan("A", &["A"]).write(
        &format!("{PLAN2_MID}/q-9.md"),
        "+++\nid = \"q-9\"\ntitle = \"重なり\"\n\n[years.R4]\nstatus = \"B\"\n\n\
         [years.R5]\nfrom = \"R4\"\nstatus = \"A\"\n+++\n",
    );
    let e = site.check().single_error();
    assert!(e.path.ends_with("q-9.md") && e.line == 9, "{e:?}");
    assert!(
        e.message.contains("FY2022 has an entry of its own"),
        "{e:?}"
    );
    site.edit(
        &format!("{PLAN2_MID}/q-9.md"),
        "from = \"R4\"",
        "from = \"R6\"",
    );
    let e = site.check().single_error();
    assert!(e.message.contains("covers from FY2024"), "{e:?}");
}

#[test]
fn a_plan_with_only_the_required_keys_builds_and_claims_nothing() {
    // Issue 12 (9): what the README's "What may be left out" promises.
    let site = Site::empty();
    site.write(
        "content/site.toml",
        "title = { ja = \"最小市\", en = \"Minimal City\" }\nbase_url = \"https://example.jp/\"\n\
         [[municipalities]]\nid = \"m\"\nname = { ja = \"最小市\", en = \"Minimal City\" }\n",
    )
    .write(
        "content/p/_plan.md",
        "+++\nid = \"p\"\nmunicipality = \"m\"\ntitle = \"最小計画\"\n\
         period = { first = \"R5\", last = \"R7\" }\nreporting_year = \"R5\"\n\
         levels = [{ ja = \"分野\", en = \"Area\" }, { ja = \"取組\", en = \"Initiative\" }]\n+++\n",
    )
    .write("content/p/s1/_index.md", "+++\ntitle = \"分野一\"\n+++\n")
    .write("content/p/s1/a.md", "+++\nid = \"p-1\"\ntitle = \"取組一\"\n+++\n");
    let run = site.build();
    run.assert_code(0);
    assert!(
        run.errors().is_empty() && run.warnings().is_empty(),
        "{run}"
    );
    let html = decode(&site.page("p/p-1/index.html"));
    let main = text_of(between(&html, "<main", "</main>"));
    for absent in ["未報告", "担当課", "出典", "予定"] {
        assert!(!main.contains(absent), "`{absent}` in: {main}");
    }
    let plan = site.page("p/index.html");
    assert!(
        !plan.contains("<table class=\"counts\">"),
        "no scale, no counts"
    );
    assert!(!site.path("public/p/status").exists());
    let en = decode(&site.page("en/p/p-1/index.html"));
    assert!(
        en.contains("have not been translated into English yet"),
        "{en}"
    );
}

/// The initiative pages a listing page links to.
fn listed(html: &str) -> Vec<String> {
    let main = between(html, "<main", "</main>");
    main.split("class=\"initiative-title\" href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|h| h.trim_start_matches("../").to_string())
        .collect()
}

/// Every page of a list split over pages: follows the pager's "next" links
/// from the first page, checking each page's number and size.
fn pages_of(site: &Site, first: &str) -> Vec<String> {
    let mut pages = vec![];
    let mut at = first.to_string();
    loop {
        let html = decode(&site.page(&at));
        assert!(html.len() < 300_000, "{at} is {} bytes", html.len());
        let next = html
            .split("rel=\"next\"")
            .next()
            .filter(|_| html.contains("rel=\"next\""))
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|h| h.split('"').next())
            .map(|h| resolve(&at, h));
        pages.push(html);
        match next {
            Some(n) => at = n,
            None => return pages,
        }
    }
}

#[test]
fn a_long_list_is_split_over_numbered_pages_each_initiative_once() {
    let site = long_plan(450);
    site.build().assert_code(0);

    // The plan holds 454 initiatives: its page shows the sections by their
    // counts, and says where the lists are.
    let plan = decode(&site.page("plan1/index.html"));
    let main = text_of(between(&plan, "<main", "</main>"));
    assert!(
        main.contains("取組が454件あるため、ここでは分野ごとの件数を示します"),
        "{main}"
    );
    assert!(listed(&plan).is_empty(), "no rows on the plan page");
    assert!(plan.contains("02-beta/\""), "links to the section");
    assert!(
        !plan.contains("class=\"pager\""),
        "two sections fit on a page"
    );

    // The beta section: 452 rows over three pages, numbered, each once.
    let pages = pages_of(&site, "plan1/02-beta/index.html");
    assert_eq!(pages.len(), 3);
    let rows: Vec<Vec<String>> = pages.iter().map(|p| listed(p)).collect();
    assert_eq!(
        rows.iter().map(Vec::len).collect::<Vec<_>>(),
        [200, 200, 52]
    );
    let mut all: Vec<&String> = rows.iter().flatten().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 452, "every initiative once");
    let title = between(&pages[1], "<title>", "</title>");
    assert!(title.contains("財政の健全化（2/3ページ）"), "{title}");
    let pager = text_of(between(&pages[1], "class=\"pager\"", "</nav>"));
    assert!(pager.contains("全452件中 201〜400件目"), "{pager}");
    assert!(
        pages[1]
            .contains("aria-current=\"page\"><span class=\"visually-hidden\">ページ </span>2</a>"),
        "{pager}"
    );
    assert!(site.path("public/plan1/02-beta/page/3/index.html").exists());
    assert!(!site.path("public/plan1/02-beta/page/4").exists());
    // The section's rating table and text are on its first page only.
    assert!(!pages[2].contains("class=\"prose"), "no body on page 3");

    // English pages are split the same way.
    let en = decode(&site.page("en/plan1/02-beta/page/2/index.html"));
    assert!(
        en.contains("(page 2 of 3)"),
        "{}",
        between(&en, "<title>", "</title>")
    );
    assert!(text_of(&en).contains("Items 201–400 of 452"));

    // A status of a year: 227 in progress (225 of the new ones + 2).
    let status = pages_of(&site, "plan1/status/jisshi/in_progress/2023/index.html");
    assert_eq!(status.len(), 2);
    let n: usize = status.iter().map(|p| listed(p).len()).sum();
    let count = text_of(between(&status[0], "<main", "</main>"));
    assert!(count.contains(&format!("件数: {n}")), "{n} rows; {count}");

    // A department's page.
    let dep = pages_of(&site, "departments/testcity/kikaku/index.html");
    assert_eq!(dep.len(), 3);
    let n: usize = dep.iter().map(|p| listed(p).len()).sum();
    assert!(n >= 450, "{n}");

    // Only the first page of a list is searched.
    let index: String = walkdir::WalkDir::new(site.path("public/search/idx"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned())
        .collect();
    assert!(
        index.contains("02-beta/"),
        "the section's first page is found"
    );
    assert!(!index.contains("page/2/"), "no later page is");
}

#[test]
fn a_plan_that_fits_on_a_page_shows_every_initiative_in_its_tree() {
    let site = long_plan(190);
    site.build().assert_code(0);
    let plan = decode(&site.page("plan1/index.html"));
    assert_eq!(listed(&plan).len(), 194);
    assert!(!plan.contains("class=\"pager\""));
    assert!(!site.path("public/plan1/02-beta/page").exists());
}

/// Issue 13: a long list of changes goes on over numbered pages (at
/// 100,000 initiatives the one page was 34 MB), each changed row once,
/// the group headings counting the whole group, the overview on the first
/// page only.
#[test]
fn a_long_list_of_changes_is_split_over_numbered_pages_each_row_once() {
    let site = long_plan(450);
    site.build().assert_code(0);
    let pages = pages_of(&site, "plan1/changes/index.html");
    // A row: its initiative and its schedule row's label (an initiative
    // with two changed rows is listed twice).
    let rows: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            between(p, "<main", "</main>")
                .split("<li class=\"initiative-row\">")
                .skip(1)
                .map(|li| text_of(li.split("</li>").next().unwrap_or("")))
                .collect()
        })
        .collect();
    let all: Vec<&String> = rows.iter().flatten().collect();
    let mut distinct = all.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), all.len(), "a row on two pages");
    assert!(all.len() > 400, "{} rows", all.len());
    assert_eq!(pages.len(), all.len().div_ceil(200));
    assert!(rows[..rows.len() - 1].iter().all(|r| r.len() == 200));
    // Each group's heading counts the whole group, on every page it spans.
    let counted: usize = pages[0]
        .split("<h2 id=\"changes-")
        .skip(1)
        .filter_map(|h| {
            h.split("（")
                .nth(1)?
                .split('）')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .sum();
    let later_heads: Vec<&str> = pages[1].split("<h2 id=\"changes-").skip(1).collect();
    assert!(!later_heads.is_empty());
    assert!(counted >= rows[0].len(), "{counted}");
    let title = between(&pages[1], "<title>", "</title>");
    assert!(title.contains("（2/"), "{title}");
    assert!(pages[0].contains("changes-summary"));
    assert!(
        !pages[1].contains("changes-summary"),
        "the overview is on page 1 only"
    );
    let en = decode(&site.page("en/plan1/changes/page/2/index.html"));
    assert!(
        text_of(&en).contains("Items 201–400 of"),
        "{}",
        text_of(&en)
    );
}

#[test]
fn year_entries_are_shown_when_the_reporting_year_has_none() {
    // Issue 28, item 1: with no `[years]` entry for the reporting year (every
    // ended programme), the page showed none of the other years' entries.
    let site = Site::new();
    site.write(
        &format!("{ALPHA}/a9.md"),
        "+++\nid = \"t-009\"\ntitle = \"前年度までの取組\"\n\n[years.R4]\nresult = \"令和4年度に行った取組の結果\"\n\n[years.R3]\nresult = \"令和3年度の結果\"\n+++\n",
    );
    site.build().assert_code(0);
    let page = text_of(&site.page("plan1/t-009/index.html"));
    assert_eq!(
        page.matches("令和4年度に行った取組の結果").count(),
        1,
        "{page}"
    );
    assert_eq!(page.matches("令和3年度の結果").count(), 1, "{page}");
    // With an entry for the reporting year (R5), it is shown first, the
    // others under the heading, each once.
    site.write(
        &format!("{ALPHA}/a9.md"),
        "+++\nid = \"t-009\"\ntitle = \"前年度までの取組\"\n\n[years.R5]\nresult = \"今年度の結果\"\n\n[years.R4]\nresult = \"令和4年度に行った取組の結果\"\n+++\n",
    );
    site.build().assert_code(0);
    let page = text_of(&site.page("plan1/t-009/index.html"));
    assert_eq!(page.matches("今年度の結果").count(), 1, "{page}");
    assert_eq!(
        page.matches("令和4年度に行った取組の結果").count(),
        1,
        "{page}"
    );
}

#[test]
fn the_header_is_in_tab_order_as_it_is_drawn() {
    // Issue 28, item 10: the search box was drawn after the menu (CSS
    // `order`) but came before it in Tab order.
    let site = Site::new();
    site.build().assert_code(0);
    for page in ["index.html", "en/index.html", "plan1/index.html"] {
        let html = site.page(page);
        let nav = html.find("class=\"site-nav\"").expect("menu");
        let search = html.find("class=\"site-search\"").expect("search box");
        assert!(nav < search, "{page}: the menu comes first, as drawn");
    }
    let css = site.read("public/assets/style.css");
    let rule = css
        .split('}')
        .find(|r| r.trim_start().starts_with(".site-search{"))
        .expect("the search box's rule");
    assert!(!rule.contains("order"), "{rule}");
}

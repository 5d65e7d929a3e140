//! Issue 27, items 4, 5, 6 and 8: what the changes page, the feeds, the
//! date notice and the least-advanced badge state, checked on fixture sites
//! against the tables of the README ("How the changes page words a change").

mod common;

use common::{decode, text_of, Site, ALPHA, BETA, PLAN2_MID};

/// The text of a page's main element.
fn main_text(html: &str) -> String {
    text_of(&html[html.find("<main").unwrap()..html.find("</main>").unwrap()])
}

/// Item 4: the fixture's schedule scale states no `across_years`, so it is a
/// rating of each year's own plan. a1's row ◎ (FY2022) → ○ (FY2023), b1's
/// first row completed → in_progress, b2's ○ → —: three rated differently,
/// none "moved back"; a2's row first rated in FY2023; b1's second row
/// 未着手 → not reported.
#[test]
fn a_per_year_scale_never_calls_a_change_a_setback() {
    let site = Site::new();
    site.build().assert_code(0);
    let text = main_text(&site.page("plan1/changes/index.html"));
    // (The intro says why there is no 前進・後退.)
    assert!(!text.contains("後退 "), "{text}");
    assert!(!text.contains("前進 "), "{text}");
    assert!(!text.contains("後退した項目"), "{text}");
    assert!(text.contains("前年度と評価が異なる 3件"), "{text}");
    assert!(text.contains("今年度はじめて報告 1件"), "{text}");
    // This year's ratings next to last year's, over the same five rows.
    assert!(
        text.contains("実施状況：令和5年度 完了 1件・実施中 2件・該当なし 1件・未報告 1件（令和4年度 完了 2件・実施中 1件・未着手 1件・未報告 1件）"),
        "{text}"
    );
    let differs = &text[text.find("前年度と評価が異なる項目").unwrap()..];
    assert!(
        differs.contains("電子申請の拡充 オンライン手続の拡大 ◎ 完了 → から変更： ○ 実施中"),
        "{differs}"
    );
    let en = main_text(&site.page("en/plan1/changes/index.html"));
    assert!(!en.contains("moved back"), "{en}");
    assert!(
        en.contains("3 rated differently from the year before"),
        "{en}"
    );
    // The feed repeats the page's summary, never "moved back".
    let feed = site.read("public/en/plan1/feed.xml");
    assert!(!feed.contains("moved back"), "{feed}");
    assert!(
        feed.contains("3 rated differently from the year before"),
        "{feed}"
    );
}

/// Item 4: a scale that states `across_years = "progression"` keeps forward
/// and back; — (neutral) is neither.
#[test]
fn a_progression_scale_says_forward_and_back() {
    let site = Site::new();
    site.edit(
        "content/plan1/_plan.md",
        "rollup = \"least_advanced\"",
        "rollup = \"least_advanced\"\nacross_years = \"progression\"",
    );
    site.build().assert_code(0);
    let text = main_text(&site.page("plan1/changes/index.html"));
    assert!(text.contains("前進 0件"), "{text}");
    assert!(text.contains("後退 2件"), "{text}");
    assert!(!text.contains("前年度と評価が異なる"), "{text}");
    let other = &text[text.find("その他の変化").unwrap()..];
    assert!(
        other.contains("補助金の見直し ○ 実施中 → から変更： — 該当なし"),
        "{other}"
    );
}

/// A misspelt kind is an error at its value, with the two kinds named.
#[test]
fn an_unknown_across_years_is_an_error_at_its_value() {
    let site = Site::new();
    site.edit(
        "content/plan1/_plan.md",
        "rollup = \"least_advanced\"",
        "rollup = \"least_advanced\"\nacross_years = \"cumulative\"",
    );
    let run = site.check();
    run.assert_code(1);
    let errors = run.errors();
    let e = errors
        .iter()
        .find(|d| d.message.contains("across_years"))
        .unwrap_or_else(|| panic!("{run}"));
    let text = site.read("content/plan1/_plan.md");
    let (line, col) = common::position_of(&text, "\"cumulative\"");
    common::assert_error_at(e, "content/plan1/_plan.md", line, col);
    assert!(
        e.hint.as_deref().unwrap_or("").contains("per_year"),
        "{e:?}"
    );
}

/// A plan2 initiative rated `r4` then `r5`, optionally a re-listing.
fn two_years(id: &str, code: &str, r4: &str, r5: &str, repeat_of: Option<&str>) -> String {
    let repeat = repeat_of.map_or(String::new(), |r| format!("repeat_of = \"{r}\"\n"));
    format!(
        "+++\nid = \"{id}\"\ncode = \"{code}\"\ntitle = \"取組{id}\"\n{repeat}\n[years.R4]\nstatus = \"{r4}\"\n\n[years.R5]\nstatus = \"{r5}\"\n+++\n"
    )
}

/// Item 4: a re-listed initiative (再掲) is counted once, as its original,
/// and the original's row says where it is listed again.
#[test]
fn a_relisted_initiative_is_counted_once_and_marked() {
    let site = Site::new();
    site.add_rated_plan("B", &[]);
    site.write(
        &format!("{PLAN2_MID}/q-1.md"),
        &two_years("q-1", "①", "A", "B", None),
    )
    .write(
        &format!("{PLAN2_MID}/q-2.md"),
        &two_years("q-2", "②", "B", "B", None),
    )
    .write(
        "content/plan2/01-top/02-mid/_index.md",
        &common::rated_section("B"),
    )
    .write(
        "content/plan2/01-top/02-mid/q-3.md",
        &two_years("q-3", "①", "A", "B", Some("q-1")),
    );
    site.build().assert_code(0);
    let text = main_text(&site.page("plan2/changes/index.html"));
    // q-1 A → B once; q-3 repeats it and is not listed.
    assert!(text.contains("前年度と評価が異なる 1件"), "{text}");
    let differs = &text[text.find("前年度と評価が異なる項目").unwrap()
        ..text.find("今年度はじめて報告された項目").unwrap()];
    assert_eq!(differs.matches("から変更：").count(), 1, "{differs}");
    assert!(
        differs.contains("① 取組q-1 A → から変更： B 再掲あり： ① 取組q-3"),
        "{differs}"
    );
    // The ratings by year count q-1 once: A 1, B 1 in FY2022 (q-1, q-2).
    assert!(
        text.contains("個別評価：令和5年度 B 2件（令和4年度 A 1件・B 1件）"),
        "{text}"
    );
    let en = main_text(&site.page("en/plan2/changes/index.html"));
    assert!(en.contains("Also listed (再掲) as"), "{en}");
}

/// Item 5: the notice says as of when, from the content alone: the same
/// content builds the same plan page whatever the day of the build.
#[test]
fn the_date_notice_is_the_same_whenever_the_site_is_built() {
    let site = Site::new();
    // 1 June 2024 (FY2024) and 1 June 2031 (FY2031).
    site.build_on(1_717_200_000).assert_code(0);
    let early = site.page("plan1/index.html");
    let home_early = site.page("index.html");
    site.build_on(1_937_000_000).assert_code(0);
    let late = site.page("plan1/index.html");
    assert_eq!(early, late, "the plan page depends on the build date");
    assert_eq!(home_early, site.page("index.html"));
    let text = main_text(&late);
    assert!(!text.contains("年度前"), "{text}");
    assert!(
        text.contains("掲載している結果は令和5年度（2023年度）分までです（計画期間：令和3年度（2021年度）～令和6年度（2024年度）、2024年9月公表の報告書による）。"),
        "{text}"
    );
    let en = main_text(&site.page("en/plan1/index.html"));
    assert!(!en.contains("years ago"), "{en}");
    assert!(en.contains("The results here go up to FY2023"), "{en}");
}

/// Item 6: a report published in a month is dated that month's last day;
/// entry and feed titles name the city.
#[test]
fn feed_entries_are_never_dated_before_their_report_and_name_the_city() {
    let site = Site::new();
    site.build().assert_code(0);
    let feed = decode(&site.read("public/plan1/feed.xml"));
    assert!(
        feed.contains("<updated>2024-09-30T00:00:00+09:00</updated>"),
        "{feed}"
    );
    assert!(!feed.contains("2024-09-01"), "{feed}");
    assert!(
        feed.contains("<title>試験市 改革プラン：令和5年度（2023年度）の報告</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<title>試験市 試験市行財政改革プラン — 試験市の見える化</title>"),
        "{feed}"
    );
    let en = decode(&site.read("public/en/feed.xml"));
    assert!(
        en.contains("<title>Test City Reform Plan: the FY2023 report</title>"),
        "{en}"
    );
}

/// Item 6: a plan with no publication date has no feed entry (it was dated
/// the end of its reporting year, before the report existed); its pages are
/// built as ever.
#[test]
fn a_plan_without_a_publication_date_is_left_out_of_the_feeds() {
    let site = Site::new();
    site.edit("content/plan1/_plan.md", "published = \"2024-09\"\n", "");
    site.build().assert_code(0);
    for file in [
        "public/plan1/feed.xml",
        "public/feed.xml",
        "public/en/feed.xml",
    ] {
        let feed = site.read(file);
        assert!(!feed.contains("<entry>"), "{file}: {feed}");
        assert!(!feed.contains("2024-03-31"), "{file}: {feed}");
    }
    site.page("plan1/changes/index.html");
}

/// Item 8: one discontinued row of three makes the initiative ×中止 under
/// the least-advanced rule; the page says why beside the badge.
#[test]
fn the_least_advanced_badge_says_which_rows_it_comes_from() {
    let site = Site::new();
    site.edit(
        "content/plan1/_plan.md",
        "[[scales.values]]\nkey = \"not_applicable\"",
        "[[scales.values]]\nkey = \"discontinued\"\nsymbols = [\"×\", \"中止\"]\nlabel = { ja = \"中止\", en = \"Discontinued\" }\norder = 1\ntone = \"bad\"\n\n[[scales.values]]\nkey = \"not_applicable\"",
    );
    site.write(
        &format!("{BETA}/b3.md"),
        "+++\nid = \"t-005\"\ncode = \"5\"\ntitle = \"三つの計画\"\ndepartments = [\"企画課\"]\n\n[[schedule]]\nlabel = \"一\"\n[schedule.plan]\nR5 = \"a\"\n[schedule.status]\nR5 = \"○\"\n\n[[schedule]]\nlabel = \"二\"\n[schedule.plan]\nR5 = \"b\"\n[schedule.status]\nR5 = \"×\"\n\n[[schedule]]\nlabel = \"三\"\n[schedule.plan]\nR5 = \"c\"\n[schedule.status]\nR5 = \"○\"\n+++\n",
    );
    site.build().assert_code(0);
    let text = main_text(&site.page("plan1/t-005/index.html"));
    assert!(
        text.contains("× 中止 （3件の計画のうち最も進んでいないもの：中止1・実施中2）"),
        "{text}"
    );
    let en = main_text(&site.page("en/plan1/t-005/index.html"));
    assert!(
        en.contains("(the least advanced of 3 plans: Discontinued 1, In progress 2)"),
        "{en}"
    );
    // The department's list says it beside the badge too.
    let dep = main_text(&site.page("departments/testcity/kikaku/index.html"));
    assert!(
        dep.contains("三つの計画 × 中止 （3件の計画のうち最も進んでいないもの：中止1・実施中2）"),
        "{dep}"
    );
    // One row, or rows all alike: nothing to explain.
    let one = main_text(&site.page("plan1/t-001/index.html"));
    assert!(!one.contains("件の計画のうち"), "{one}");
    let _ = ALPHA;
}

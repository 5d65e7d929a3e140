//! Indicators: pages, computed status, CSV, links back from initiatives, and
//! the errors staff get for a bad indicator file.

mod common;

use common::*;

const K1: &str = r#"+++
id = "k1"
name = "電子申請の件数"
unit = { ja = "件", en = "applications" }
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "100件" }
footnotes = ["年度末時点の件数"]

[[observations]]
year = "R4"
value = "150件"

[[observations]]
year = "R5"
value = "同左"

[target]
year = "R6"
value = "300件"
+++
申請の件数を数えます。
"#;

const K2: &str = r#"+++
id = "k2"
name = "待機児童数"
unit = { ja = "人", en = "children" }
initiative = "t-001"
direction = "lower"
baseline = { year = "R3", value = 243 }

[[observations]]
year = "R5"
value = "92人"

[target]
year = "R6"
value = "0人"
+++
"#;

const K3: &str = r#"+++
id = "k3"
name = "直売所の数"
unit = { ja = "か所", en = "stands" }
initiative = "t-001"
direction = "keep"
baseline = { year = "R3", value = "149か所" }

[[observations]]
year = "R5"
value = "147か所"

[target]
year = "R6"
text = "維持"
+++
"#;

const K4: &str = r#"+++
id = "k4"
name = "施設数及び事業者数"
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "8施設 98事業者" }

[[observations]]
year = "R5"
value = "11施設 107事業者"

[target]
year = "R6"
value = "12施設 105事業者"
+++
"#;

fn with_indicators() -> Site {
    let site = Site::new();
    site.write("content/plan1/indicators/k1.md", K1)
        .write("content/plan1/indicators/k2.md", K2)
        .write("content/plan1/indicators/k3.md", K3)
        .write("content/plan1/indicators/k4.md", K4)
        .write(
            "content/plan1/indicators/k2.en.md",
            "+++\nname = \"Children on waiting lists\"\n+++\n",
        );
    site
}

fn badge_of(html: &str) -> String {
    text_of(between(html, "<p class=\"current-status\">", "</p>"))
}

#[test]
fn indicator_pages_show_status_sentence_chart_and_table() {
    let site = with_indicators();
    site.build().assert_code(0);
    // Higher is better: 100 → 150 (R5 同左), target 300 by R6: 25% of the way
    // with 2/3 of the time passed → behind.
    let k1 = site.page("plan1/indicators/k1/index.html");
    assert!(badge_of(&k1).contains("遅れ"), "{}", badge_of(&k1));
    assert!(text_of(&k1).contains("25%"));
    assert!(k1.contains("role=\"img\"") && k1.contains("<title id=\"chart-k1-title\">"));
    assert!(text_of(&k1).contains("同左"), "同左 is shown as printed");
    assert!(text_of(&k1).contains("年度末時点の件数"), "footnote");
    // Lower is better: 243 → 92, target 0: 62% of the way → on track.
    let k2 = site.page("en/plan1/indicators/k2/index.html");
    assert!(badge_of(&k2).contains("On track"), "{}", badge_of(&k2));
    let sentence = text_of(between(&k2, "<p class=\"sentence\">", "</p>"));
    assert_eq!(
        sentence,
        "Target: 0 children (judged as 0 or fewer children, from the indicator's direction (Lower is better): the report states no bound) by FY2024. Latest 92 children in FY2023: 62% of the way from the FY2021 baseline."
    );
    // A text target and compound values: nothing computed, and the page says why.
    let k3 = site.page("plan1/indicators/k3/index.html");
    assert!(badge_of(&k3).contains("判定対象外"));
    assert!(text_of(&k3).contains("目標が文章"));
    let k4 = site.page("en/plan1/indicators/k4/index.html");
    assert!(badge_of(&k4).contains("Not assessed"));
    assert!(text_of(&k4).contains("not single numbers"));
    assert!(!text_of(&k4).contains("of the way"));
}

#[test]
fn index_csv_and_links_back() {
    let site = with_indicators();
    site.build().assert_code(0);
    let index = site.page("plan1/indicators/index.html");
    for id in ["k1", "k2", "k3", "k4"] {
        assert!(index.contains(&format!("indicators/{id}/")), "{id} listed");
    }
    assert!(index.contains("class=\"spark\""), "inline trend");
    let counts = text_of(between(&index, "<ul class=\"count-list\">", "</ul>"));
    assert!(
        counts.contains("順調 1") && counts.contains("遅れ 1") && counts.contains("判定対象外 2"),
        "{counts}"
    );
    // The initiative links to its indicators.
    let init = site.page("plan1/t-001/index.html");
    assert!(init.contains("indicators/k1/") && init.contains("indicators/k2/"));
    // CSV: UTF-8 with a BOM, one row per value, at a predictable address.
    let csv = std::fs::read(site.path("public/plan1/indicators/k1.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("k1,電子申請の件数,基準値,令和3年度,2021,100件,100,件"),
        "{csv}"
    );
    assert!(
        csv.contains("k1,電子申請の件数,実績値,令和5年度,2023,同左,150,件"),
        "{csv}"
    );
    assert!(csv.contains("目標値,令和6年度,2024,300件,300,件"), "{csv}");
    let all = site.read("public/plan1/indicators/indicators.csv");
    assert_eq!(all.matches("指標ID").count(), 1, "one header");
    assert!(all.contains("k4,施設数及び事業者数"));
    let en = site.read("public/en/plan1/indicators/k2.csv");
    assert!(
        en.contains("k2,Children on waiting lists,actual,FY2023,2023,92人,92,children"),
        "{en}"
    );
}

#[test]
fn an_override_needs_a_reason_and_is_shown() {
    let site = with_indicators();
    let override_ok = K1.replacen(
        "[[observations]]",
        "status = { value = \"on_track\", reason = \"令和6年度に新システムで急増の見込み\" }\n\n[[observations]]",
        1,
    );
    site.write("content/plan1/indicators/k1.md", &override_ok);
    site.build().assert_code(0);
    let k1 = site.page("plan1/indicators/k1/index.html");
    assert!(badge_of(&k1).contains("順調"));
    assert!(text_of(&k1).contains("令和6年度に新システムで急増の見込み"));

    let no_reason = K1.replacen(
        "[[observations]]",
        "status = { value = \"on_track\" }\n\n[[observations]]",
        1,
    );
    site.write("content/plan1/indicators/k1.md", &no_reason);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert!(e.message.contains("needs a reason"), "{e:?}");
}

/// Replaces `from` in K1 and expects one error at the line of `at`.
fn expect_error(from: &str, to: &str, at: &str, message: &str, hint: &str) {
    let site = Site::new();
    let text = K1.replacen(from, to, 1);
    assert_ne!(text, K1, "{from:?} not in K1");
    site.write("content/plan1/indicators/k1.md", &text);
    let run = site.check();
    run.assert_code(1);
    run.assert_no_panic();
    let e = run.single_error();
    let (line, _) = position_of(&text, at);
    assert_eq!(e.path, "content/plan1/indicators/k1.md", "{e:?}");
    assert_eq!(e.line, line, "{e:?}");
    assert!(e.message.contains(message), "{e:?}");
    assert!(e.hint.as_deref().unwrap_or("").contains(hint), "{e:?}");
}

#[test]
fn a_target_without_a_year() {
    expect_error(
        "year = \"R6\"\n",
        "",
        "value = \"300件\"",
        "target has no fiscal year",
        "year = ",
    );
}

#[test]
fn a_value_in_a_year_outside_the_plan() {
    expect_error(
        "year = \"R4\"",
        "year = \"R8\"",
        "R8",
        "outside the years",
        "data_from",
    );
}

#[test]
fn a_comparator_that_is_not_allowed() {
    expect_error(
        "value = \"300件\"",
        "value = \"300件\"\ncomparator = \"at_lest\"",
        "at_lest",
        "not one of at_least, at_most, exactly",
        "did you mean `at_least`",
    );
}

#[test]
fn a_unit_mismatch_between_target_and_observations() {
    expect_error(
        "value = \"300件\"",
        "value = \"300人\"",
        "300人",
        "is in 人",
        "unit",
    );
}

#[test]
fn a_missing_direction() {
    expect_error(
        "direction = \"higher\"\n",
        "",
        "id = \"k1\"",
        "does not say which direction",
        "direction = ",
    );
}

#[test]
fn a_reference_to_an_initiative_that_does_not_exist() {
    expect_error(
        "initiative = \"t-001\"",
        "initiative = \"t-01\"",
        "t-01",
        "no initiative's id",
        "did you mean `t-001`",
    );
}

const FIGURES: &str = r#"
[years.R5]
target = "業務数：35、削減時間：1,700時間"
result = "業務数：34、削減時間：1,277時間"

[[years.R5.figures]]
name = "業務数"
target = "35業務"
actual = "34業務"

[[years.R5.figures]]
name = "削減時間"
target = "1,700時間"
actual = "1,277時間"
+++"#;

#[test]
fn yearly_figures_of_an_initiative_use_the_value_model() {
    let site = Site::new();
    let a1 = site.read(&format!("{ALPHA}/a1.md"));
    let with = a1.replacen("R5 = \"○\"\n+++", &format!("R5 = \"○\"\n{FIGURES}"), 1);
    site.write(&format!("{ALPHA}/a1.md"), &with);
    site.pin_translations();
    site.build().assert_code(0);
    let page = site.page("plan1/t-001/index.html");
    let table = text_of(between(&page, "<table class=\"figures\">", "</table>"));
    assert!(table.contains("業務数 35業務 34業務 97%"), "{table}");
    assert!(
        table.contains("削減時間 1,700時間 1,277時間 75%"),
        "{table}"
    );

    let bad = with.replacen("actual = \"34業務\"", "actual = \"34件\"", 1);
    site.write(&format!("{ALPHA}/a1.md"), &bad);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    let (line, _) = position_of(&bad, "34件");
    assert_eq!(e.line, line, "{e:?}");
    assert!(
        e.message.contains("is in 件") && e.message.contains("in 業務"),
        "{e:?}"
    );
}

/// Values with units that English pages name: a bound written in the value
/// (`15件以上`), money in 千円, an indicator's own unit, a unit the site
/// names in site.toml, and one nothing names.
const K5: &str = r#"+++
id = "k5"
name = "相談件数"
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "1件" }

[[observations]]
year = "R5"
value = "約4万件"

[target]
year = "R6"
value = "15件以上"
+++
"#;

const K6: &str = r#"+++
id = "k6"
name = "削減額"
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "▲1,200千円" }

[[observations]]
year = "R5"
value = "3億円"

[target]
year = "R6"
value = "5,000千円"
+++
"#;

const K7: &str = r#"+++
id = "k7"
name = "ホームページの閲覧件数"
unit = { ja = "件", en = "visits" }
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "1件" }

[[observations]]
year = "R5"
value = "4,372件 (198件)"

[target]
year = "R6"
value = "600件"
+++
"#;

const K8: &str = r#"+++
id = "k8"
name = "オンライン化した手続きの数"
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "1手続き" }

[target]
year = "R6"
value = "600手続き"
+++
"#;

fn value_cells(html: &str) -> Vec<String> {
    html.split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn english_pages_read_values_in_english() {
    let site = with_indicators();
    site.write("content/plan1/indicators/k5.md", K5)
        .write("content/plan1/indicators/k6.md", K6);
    site.build().assert_code(0);
    let k5 = site.page("en/plan1/indicators/k5/index.html");
    assert_eq!(
        value_cells(&k5),
        ["1 case", "about 40,000 cases", "15 or more cases"],
        "{k5}"
    );
    let sentence = text_of(between(&k5, "<p class=\"sentence\">", "</p>"));
    assert!(
        sentence.starts_with("Target: 15 or more cases by FY2024."),
        "{sentence}"
    );
    // The chart's labels and its text alternative say the same.
    let chart = between(&k5, "<svg", "</svg>");
    assert!(chart.contains(">15 or more cases<"), "{chart}");
    assert!(
        chart.contains("Target: 15 or more cases by FY2024."),
        "{chart}"
    );
    // The listing and the page's description.
    let index = site.page("en/plan1/indicators/index.html");
    assert!(text_of(&index).contains("Target: 15 or more cases"));
    let description = between(&k5, "<meta name=\"description\" content=\"", "\">");
    assert!(
        description.contains("Target: 15 or more cases by FY2024."),
        "{description}"
    );
    // Money: 千円 stays thousand yen, 億円 is counted in million yen.
    let k6 = site.page("en/plan1/indicators/k6/index.html");
    assert_eq!(
        value_cells(&k6)[..2],
        ["−1,200 thousand yen", "300 million yen"],
        "{k6}"
    );
    // Japanese pages show the values as printed.
    let ja = site.page("plan1/indicators/k5/index.html");
    assert_eq!(value_cells(&ja), ["1件", "約4万件", "15件以上"]);
}

#[test]
fn units_named_by_the_indicator_and_the_site_and_a_warning_for_the_rest() {
    let site = with_indicators();
    site.write("content/plan1/indicators/k7.md", K7)
        .write("content/plan1/indicators/k8.md", K8);
    // 手続き has no English name: the page keeps it, marked as Japanese,
    // and check says where and how to name it, once.
    let run = site.check();
    run.assert_code(0);
    let warnings: Vec<_> = run
        .warnings()
        .into_iter()
        .filter(|w| w.message.contains("手続き"))
        .collect();
    assert_eq!(warnings.len(), 1, "{run}");
    let (line, column) = position_of(K8, "1手続き");
    assert_eq!(
        warnings[0].at(),
        format!("content/plan1/indicators/k8.md:{line}:{column}")
    );
    let hint = warnings[0].hint.as_deref().unwrap_or("");
    assert!(
        hint.contains("site.toml") && hint.contains("[units]"),
        "{hint}"
    );
    assert!(
        !run.warnings().iter().any(|w| w.message.contains("`件`")),
        "built-in units need no name: {run}"
    );
    site.build().assert_code(0);
    let k7 = site.page("en/plan1/indicators/k7/index.html");
    // The indicator's own English, singular for 1; its sub-value too.
    assert_eq!(
        value_cells(&k7),
        ["1 visit", "4,372 visits (198 visits)", "600 visits"],
        "{k7}"
    );
    let k8 = site.page("en/plan1/indicators/k8/index.html");
    assert_eq!(
        value_cells(&k8),
        [
            "1 <span lang=\"ja\">手続き</span>",
            "600 <span lang=\"ja\">手続き</span>"
        ],
        "{k8}"
    );
    // Named in site.toml: no warning, English on the page.
    site.write(
        "content/site.toml",
        &format!(
            "{SITE_TOML}\n[units]\n\"手続き\" = {{ one = \"procedure\", other = \"procedures\" }}\n"
        ),
    );
    let run = site.check();
    assert!(
        !run.warnings().iter().any(|w| w.message.contains("手続き")),
        "{run}"
    );
    site.build().assert_code(0);
    let k8 = site.page("en/plan1/indicators/k8/index.html");
    assert_eq!(value_cells(&k8), ["1 procedure", "600 procedures"], "{k8}");
}

#[test]
fn yearly_figures_read_in_english_with_their_own_unit() {
    let site = Site::new();
    let a1 = site.read(&format!("{ALPHA}/a1.md"));
    let figures = FIGURES.replacen(
        "name = \"業務数\"",
        "name = \"業務数\"\nunit = { ja = \"業務\", en = \"procedures\" }",
        1,
    );
    let with = a1.replacen("R5 = \"○\"\n+++", &format!("R5 = \"○\"\n{figures}"), 1);
    site.write(&format!("{ALPHA}/a1.md"), &with);
    site.pin_translations();
    site.build().assert_code(0);
    let page = site.page("en/plan1/t-001/index.html");
    let table = text_of(between(&page, "<table class=\"figures\">", "</table>"));
    assert!(table.contains("35 procedures 34 procedures 97%"), "{table}");
    assert!(table.contains("1,700 hours 1,277 hours 75%"), "{table}");
    let ja = site.page("plan1/t-001/index.html");
    let table = text_of(between(&ja, "<table class=\"figures\">", "</table>"));
    assert!(table.contains("業務数 35業務 34業務 97%"), "{table}");
}

/// 職員提案の応募件数 15件以上 each year: a recurring target (issue 12, 3).
const EACH_YEAR: &str = r#"+++
id = "k5"
name = "職員提案の応募件数"
unit = { ja = "件", en = "proposals" }
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "3件" }

[[observations]]
year = "R4"
value = "16件"

[[observations]]
year = "R5"
value = "12件"

[target]
each_year = true
from = "R4"
value = "15件"
+++
"#;

#[test]
fn a_target_for_every_year_is_judged_year_by_year() {
    let site = Site::new();
    site.write("content/plan1/indicators/k5.md", EACH_YEAR);
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k5/index.html");
    // FY2022 met 15, FY2023 did not: behind, by the latest year; no ramp.
    assert!(badge_of(&ja).contains("遅れ"), "{}", badge_of(&ja));
    let sentence = text_of(between(&ja, "<p class=\"sentence\">", "</p>"));
    assert_eq!(
        sentence,
        "目標は令和4年度（2022年度）から令和6年度（2024年度）まで毎年度15件（報告書に以上・以下の記載がないため、指標の向き「数値が大きいほど良い」から15件以上として判定）。最新値は令和5年度（2023年度）の12件です。令和5年度（2023年度）は目標を達成しませんでした（判定した2年度のうち1年度で達成）。"
    );
    let table = text_of(between(&ja, "<table class=\"data\">", "</table>"));
    assert!(table.contains("目標達成"), "{table}");
    assert!(
        table.contains("令和4年度（2022年度） 実績値 16件 達成 ✓"),
        "{table}"
    );
    assert!(
        table.contains("令和5年度（2023年度） 実績値 12件 未達成 ✗"),
        "{table}"
    );
    assert!(
        table.contains("令和4年度（2022年度）〜令和6年度（2024年度） 目標値（毎年度） 15件 報告書に以上・以下の記載がないため、指標の向き「数値が大きいほど良い」から15件以上として判定"),
        "{table}"
    );
    assert!(ja.contains("class=\"target-path target-each-year\""));
    assert_eq!(ja.matches("class=\"target-path\"").count(), 0, "no ramp");
    assert!(text_of(&ja).contains("毎年度の目標は、年度ごとに"));
    assert!(!text_of(&ja).contains("進んでいます"), "no progress %");

    let en = site.page("en/plan1/indicators/k5/index.html");
    let sentence = text_of(between(&en, "<p class=\"sentence\">", "</p>"));
    assert!(
        sentence.contains("each year from FY2022 to FY2024.")
            && sentence.ends_with("Did not meet the target in FY2023 (1 of 2 years met)."),
        "{sentence}"
    );
    let table = text_of(between(&en, "<table class=\"data\">", "</table>"));
    assert!(
        table.contains("Met target") && table.contains("Met ✓") && table.contains("Not met ✗"),
        "{table}"
    );
    assert!(
        table.contains("FY2022 – FY2024 Target (each year)"),
        "{table}"
    );

    // The data file says the target is of every year, in each year.
    let csv = site.read("public/en/plan1/indicators/k5.csv");
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",as_of,interim,target_each_year"));
    for y in [2022, 2023, 2024] {
        assert!(
            csv.contains(&format!(
                ",target,FY{y},{y},15件,15,proposals,,,,false,true"
            )),
            "{csv}"
        );
    }

    // Met in the latest year: achieved.
    site.edit("content/plan1/indicators/k5.md", "\"12件\"", "\"15件\"");
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k5/index.html");
    assert!(badge_of(&ja).contains("達成"), "{}", badge_of(&ja));
    assert!(text_of(&ja).contains("令和5年度（2023年度）は目標を達成しました（判定した"));
}

#[test]
fn from_is_only_for_a_target_of_every_year() {
    let site = Site::new();
    let text = EACH_YEAR.replacen("each_year = true\n", "", 1);
    site.write("content/plan1/indicators/k5.md", &text);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_eq!(e.line, position_of(&text, "from = \"R4\"").0, "{e:?}");
    assert!(
        e.message
            .contains("only for a target that applies every year"),
        "{e:?}"
    );
    assert!(
        e.hint.as_deref().unwrap_or("").contains("each_year = true"),
        "{e:?}"
    );
}

/// A figure counted before its year ended, and a baseline dated by day
/// (issue 12, 4 and 5).
const INTERIM: &str = r#"+++
id = "k6"
name = "電子申請の件数"
unit = { ja = "件", en = "applications" }
initiative = "t-001"
direction = "higher"
baseline = { as_of = "令和3年4月1日", value = "10件" }

[[observations]]
year = "R4"
value = "12件"

[[observations]]
year = "R5"
value = "21件"
as_of = "令和 6 年 2 月 2 日"

[target]
year = "R6"
value = "15件"
+++
"#;

#[test]
fn an_interim_value_is_shown_and_never_judged() {
    let site = Site::new();
    site.write("content/plan1/indicators/k6.md", INTERIM);
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k6/index.html");
    // 21 ≥ 15 would be achieved; judged on the final 12 (FY2022) instead:
    // 40% of the way with a third of the time passed.
    assert!(badge_of(&ja).contains("順調"), "{}", badge_of(&ja));
    let sentence = text_of(between(&ja, "<p class=\"sentence\">", "</p>"));
    assert!(
        sentence.contains("最新値は令和4年度（2022年度）の12件で")
            && sentence.ends_with(
                "令和5年度（2023年度）の速報値は21件（令和6年2月2日時点）で、判定には使いません。"
            ),
        "{sentence}"
    );
    let table = text_of(between(&ja, "<table class=\"data\">", "</table>"));
    assert!(
        table.contains("令和5年度（2023年度） 実績値 21件 （令和6年2月2日時点・速報値）"),
        "{table}"
    );
    // The baseline: placed in the fiscal year of its date, shown with it.
    assert!(
        table.contains("令和3年度（2021年度） 基準値 10件 （令和3年4月1日時点）"),
        "{table}"
    );
    assert!(
        ja.contains("<circle class=\"actual interim\""),
        "hollow marker"
    );
    assert!(text_of(&ja)
        .contains("年度末より前の時点の値（速報値）は表示しますが、判定には使いません。"));

    let en = site.page("en/plan1/indicators/k6/index.html");
    let table = text_of(between(&en, "<table class=\"data\">", "</table>"));
    assert!(
        table.contains("21 applications (interim, as of 2 February 2024)")
            && table.contains("10 applications (as of 1 April 2021)"),
        "{table}"
    );
    let csv = site.read("public/en/plan1/indicators/k6.csv");
    assert!(csv.contains(",2024-02-02,true,false"), "{csv}");

    // Only an interim value: no data yet, and why.
    let only = INTERIM.replacen(
        "[[observations]]\nyear = \"R4\"\nvalue = \"12件\"\n\n",
        "",
        1,
    );
    site.write("content/plan1/indicators/k6.md", &only);
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k6/index.html");
    assert!(badge_of(&ja).contains("データなし"), "{}", badge_of(&ja));
    assert!(text_of(&ja).contains("速報値しかないため、まだ判定しません"));
    let en = site.page("en/plan1/indicators/k6/index.html");
    assert!(text_of(&en).contains("Only an interim figure so far"));
    assert!(text_of(&en).contains("No final value yet."));

    // Measured on the year's last day or later: final, simply dated.
    let final_ = INTERIM.replacen("令和 6 年 2 月 2 日", "2024-04-01", 1);
    site.write("content/plan1/indicators/k6.md", &final_);
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k6/index.html");
    assert!(badge_of(&ja).contains("達成"), "{}", badge_of(&ja));
    assert!(text_of(&ja).contains("21件（令和6年4月1日時点）"));
}

/// Replaces `from` in INTERIM and expects one error at the line of `at`.
fn expect_date_error(from: &str, to: &str, at: &str, message: &str, hint: &str) {
    let site = Site::new();
    let text = INTERIM.replacen(from, to, 1);
    assert_ne!(text, INTERIM, "{from:?} not in INTERIM");
    site.write("content/plan1/indicators/k6.md", &text);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_eq!(e.path, "content/plan1/indicators/k6.md", "{e:?}");
    assert_eq!(e.line, position_of(&text, at).0, "{e:?}");
    assert!(e.message.contains(message), "{e:?}");
    assert!(e.hint.as_deref().unwrap_or("").contains(hint), "{e:?}");
}

#[test]
fn a_date_that_is_not_a_date() {
    expect_date_error(
        "令和 6 年 2 月 2 日",
        "令和6年2月30日",
        "令和6年2月30日",
        "is not a date",
        "as_of = \"2024-02-02\" or as_of = \"令和6年2月2日\"",
    );
}

#[test]
fn a_date_of_another_year_than_its_value() {
    expect_date_error(
        "令和 6 年 2 月 2 日",
        "2025-04-01",
        "2025-04-01",
        "as_of 2025-04-01 is in FY2025, but the value is given for FY2023",
        "leave out year",
    );
}

#[test]
fn an_interim_figure_of_an_initiative_computes_nothing() {
    let site = Site::new();
    let a1 = site.read(&format!("{ALPHA}/a1.md"));
    let interim = FIGURES.replacen(
        "actual = \"34業務\"",
        "actual = \"34業務\"\nas_of = \"令和6年2月2日\"",
        1,
    );
    let with = a1.replacen("R5 = \"○\"\n+++", &format!("R5 = \"○\"\n{interim}"), 1);
    site.write(&format!("{ALPHA}/a1.md"), &with);
    site.pin_translations();
    site.build().assert_code(0);
    let page = site.page("plan1/t-001/index.html");
    let table = text_of(between(&page, "<table class=\"figures\">", "</table>"));
    assert!(
        table.contains(
            "業務数 35業務 34業務 （令和6年2月2日時点・速報値） 速報値のため計算しません"
        ),
        "{table}"
    );
    assert!(!table.contains("97%"), "{table}");
    assert!(
        table.contains("削減時間 1,700時間 1,277時間 75%"),
        "{table}"
    );

    let no_actual = with.replacen("actual = \"34業務\"\n", "", 1);
    assert_ne!(no_actual, with);
    site.write(&format!("{ALPHA}/a1.md"), &no_actual);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_eq!(e.line, position_of(&no_actual, "as_of = ").0, "{e:?}");
    assert!(e.message.contains("as_of dates the actual"), "{e:?}");
}

#[test]
fn a_baselines_measurement_year_is_shown() {
    // mitaka-senryaku 3-2: baseline (H30 column) 56,139人 measured 平成28年度.
    let site = with_indicators();
    site.edit(
        "content/plan1/indicators/k1.md",
        "baseline = { year = \"R3\", value = \"100件\" }",
        "baseline = { year = \"R3\", value = \"100件\", measured = \"令和2年度\" }",
    );
    site.build().assert_code(0);
    let html = site.page("plan1/indicators/k1/index.html");
    let table = between(&html, "<table class=\"data\">", "</table>");
    let base = text_of(between(table, "基準値", "</tr>"));
    assert!(base.contains("令和2年度"), "{base}");
}

#[test]
fn the_data_table_is_in_year_order_even_when_an_actual_precedes_the_baseline() {
    // mitaka-senryaku 1-2: an FY2014 actual beside the FY2018 baseline.
    let site = with_indicators();
    site.edit(
        "content/plan1/indicators/k1.md",
        "[[observations]]\nyear = \"R4\"",
        "[[observations]]\nyear = \"R2\"\nvalue = \"90件\"\n\n[[observations]]\nyear = \"R4\"",
    );
    site.write(
        "content/plan1/_plan.md",
        &PLAN.replace(
            "+++\n試験市",
            "[indicators]\ndata_from = \"R2\"\n+++\n試験市",
        ),
    );
    site.build().assert_code(0);
    let html = site.page("plan1/indicators/k1/index.html");
    let table = between(&html, "<tbody>", "</tbody>");
    let years: Vec<String> = table
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|r| r.split("</th>").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        years[..2],
        ["令和2年度（2020年度）", "令和3年度（2021年度）"],
        "{years:?}"
    );
}

// ── Issue 27: what the status rests on (README: "How an indicator's status is decided") ──

const KEEP: &str = r#"+++
id = "k9"
name = "図書館の利用者数"
unit = { ja = "人", en = "users" }
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "996,849人" }

[[observations]]
year = "R5"
value = "602,715人"

[target]
year = "R6"
value = "950,000人"
+++
"#;

#[test]
fn a_target_the_baseline_met_is_a_level_to_keep_never_progress() {
    // Row 14: 602,715 against at least 950,000, the baseline 996,849. The
    // old rule read 841% of the way, on track.
    let site = Site::new();
    site.write("content/plan1/indicators/k9.md", KEEP);
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k9/index.html");
    assert!(badge_of(&ja).contains("遅れ"), "{}", badge_of(&ja));
    let text = text_of(&ja);
    let sentence = text_of(between(&ja, "<p class=\"sentence\">", "</p>"));
    assert!(!sentence.contains('%'), "no progress figure: {sentence}");
    assert!(!text.contains("進んでいます"), "no progress figure: {text}");
    assert!(
        text.contains("基準値の時点では目標を満たしていましたが、最新値は目標を満たしていません。"),
        "{text}"
    );
    assert!(text.contains("この目標はその水準を保つことです"), "{text}");
    // The printed target stays as printed; how it is judged is said apart.
    let sentence = text_of(between(&ja, "<p class=\"sentence\">", "</p>"));
    assert!(
        sentence.starts_with("目標は令和6年度（2024年度）までに950,000人（報告書に以上・以下の記載がないため、指標の向き「数値が大きいほど良い」から950,000人以上として判定）。"),
        "{sentence}"
    );
    // Kept: achieved, still no figure.
    site.write(
        "content/plan1/indicators/k9.md",
        &KEEP.replace("602,715人", "960,000人"),
    );
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k9/index.html");
    assert!(badge_of(&ja).contains("達成"), "{}", badge_of(&ja));
    assert!(!text_of(&ja).contains("進んでいます"));
    let en = site.page("en/plan1/indicators/k9/index.html");
    assert!(
        text_of(&en).contains("The baseline already met the target, and the level is kept."),
        "{}",
        text_of(&en)
    );
}

#[test]
fn a_value_older_than_the_baseline_is_shown_and_not_judged() {
    // Row 11: the only value (R3) is older than the baseline (R4).
    let site = Site::new();
    site.write(
        "content/plan1/indicators/k9.md",
        &KEEP
            .replace(
                "year = \"R3\", value = \"996,849人\"",
                "year = \"R4\", value = \"100人\"",
            )
            .replace(
                "year = \"R5\"\nvalue = \"602,715人\"",
                "year = \"R3\"\nvalue = \"90人\"",
            ),
    );
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k9/index.html");
    assert!(badge_of(&ja).contains("データなし"), "{}", badge_of(&ja));
    let text = text_of(&ja);
    assert!(!text.contains("進んでいます"), "{text}");
    assert!(
        text.contains("最新値は令和3年度（2021年度）の90人です。基準値（令和4年度（2022年度））より後の値はまだありません。"),
        "{text}"
    );
    assert!(text.contains("基準値より古い値は判定に使わないため、状況は示しません。"));
}

#[test]
fn the_latest_value_beside_a_status_is_the_one_it_is_judged_by() {
    // Item 3: the initiative page listed 最新値 21件（速報値） beside a status
    // judged on the final 12件; the indicator page said 最新値は…12件.
    let site = Site::new();
    site.write("content/plan1/indicators/k6.md", INTERIM);
    site.build().assert_code(0);
    let init = site.page("plan1/t-001/index.html");
    let row = text_of(between(&init, "電子申請の件数", "</li>"));
    assert!(row.contains("最新値: 12件 （令和4年度）"), "{row}");
    assert!(row.contains("速報値: 21件 （令和5年度）"), "{row}");
    let ind = site.page("plan1/indicators/k6/index.html");
    assert!(text_of(&ind).contains("最新値は令和4年度（2022年度）の12件で"));
}

#[test]
fn a_target_after_the_plans_end_is_allowed_and_shown() {
    // Issue 28, item 3: 令和8年度 for a plan to 令和6年度 was refused.
    let site = Site::new();
    let file = KEEP
        .replace(
            "baseline = { year = \"R3\", value = \"996,849人\" }",
            "baseline = { year = \"R3\", value = \"100人\" }",
        )
        .replace("value = \"602,715人\"", "value = \"150人\"")
        .replace(
            "[target]\nyear = \"R6\"\nvalue = \"950,000人\"",
            "[target]\nyear = \"R8\"\nvalue = \"300人\"",
        );
    site.write("content/plan1/indicators/k9.md", &file);
    site.check().assert_code(0);
    site.build().assert_code(0);
    let ja = site.page("plan1/indicators/k9/index.html");
    let sentence = text_of(between(&ja, "<p class=\"sentence\">", "</p>"));
    assert!(
        sentence.starts_with("目標は令和8年度（2026年度）までに300人"),
        "{sentence}"
    );
    // 25% of the way, 2 of 5 years passed: 0.8 × 40% = 32% expected.
    assert!(sentence.contains("25%"), "{sentence}");
    assert!(badge_of(&ja).contains("遅れ"), "{}", badge_of(&ja));
    assert!(
        text_of(between(&ja, "<svg", "</svg>")).contains("令和8"),
        "the chart reaches the target's year"
    );
    // Far past the plan: an error at the year.
    site.write(
        "content/plan1/indicators/k9.md",
        &file.replace("year = \"R8\"", "year = \"R20\""),
    );
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert!(e.message.contains("more than 10 years after"), "{e:?}");
}

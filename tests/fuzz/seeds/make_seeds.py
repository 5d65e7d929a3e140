#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/seeds/<target>/).

Run from anywhere; it reads the fixture (tests/fuzz/fixture), the fixture
texts of tests/common/mod.rs and tests/indicators.rs, and files of the
example site (content/). The seeds are committed; run.sh copies them into the
working corpus. Re-run this after changing the fixture or the example site.
"""
import pathlib
import re
import shutil
import struct

FUZZ = pathlib.Path(__file__).resolve().parent.parent
ROOT = FUZZ.parent.parent
SEEDS = FUZZ / "seeds"
SEP = b"\0SPLIT\0"  # as in fuzz_targets/loader.rs
PLAN1 = FUZZ / "fixture/content/plan1"
FIXTURE = [
    PLAN1 / "01-alpha/a1.md",
    PLAN1 / "01-alpha/_index.md",
    PLAN1 / "_plan.md",
    PLAN1 / "indicators/k1.md",
]


def consts(path):
    text = (ROOT / path).read_text()
    return dict(re.findall(r'const (\w+): &str = r#"(.*?)"#;', text, re.S))


def content(rel):
    return (ROOT / "content" / rel).read_bytes()


def loader():
    """Four parts: initiative, section, plan, indicator (empty: the fixture's)."""
    common = consts("tests/common/mod.rs")
    indicators = consts("tests/indicators.rs")
    fixture = [p.read_bytes() for p in FIXTURE]
    seeds = {"fixture": SEP.join(fixture)}
    for name in ["A2", "B1", "B2"]:
        seeds[f"initiative-{name.lower()}"] = common[name].encode()
    seeds["section-beta"] = SEP + common["SECTION_BETA"].encode()
    seeds["plan2-rated"] = SEP + SEP + common["PLAN2"].encode()
    for name in ["K2", "K3", "K4"]:
        seeds[f"indicator-{name.lower()}"] = SEP * 3 + indicators[name].encode()
    # Whole plans of the example site with two levels (their municipality
    # is in the fixture): initiative, section, plan and an indicator of it.
    for tag, parts in {
        "mitaka-senryaku": ["mitaka-senryaku/1-kodomo/1.md", "mitaka-senryaku/1-kodomo/_index.md",
                            "mitaka-senryaku/_plan.md", "mitaka-senryaku/indicators/1-2.md"],
        "mitaka-senryaku-2": ["mitaka-senryaku/1-kodomo/1.md", "mitaka-senryaku/1-kodomo/_index.md",
                              "mitaka-senryaku/_plan.md", "mitaka-senryaku/indicators/1-0.md"],
        "mitaka-kihon4": ["mitaka-kihon4/01-heiwa-jinken/01.md", "mitaka-kihon4/01-heiwa-jinken/_index.md",
                          "mitaka-kihon4/_plan.md", "mitaka-kihon4/indicators/01-1.md"],
        "mitaka-kihon4-2": ["mitaka-kihon4/01-heiwa-jinken/01.md", "mitaka-kihon4/01-heiwa-jinken/_index.md",
                            "mitaka-kihon4/_plan.md", "mitaka-kihon4/indicators/01-2.md"],
    }.items():
        seeds[f"site-{tag}"] = SEP.join(content(p) for p in parts)
    # Single files of the other plans, in the fixture's place.
    for rel in [
        "akishima-gyozaisei/04-soshiki-jinzai/03-noryoku-kaihatsu/02.md",
        "musashino-gyokaku6/02-soshiki/02-i/034.md",
        "musashino-gyokaku6/04-zaisei/01-a/050.md",
        "musashino-johoka7/1-counter-services/01-anytime-anywhere/_index.md",
        "mitaka-kihon4/02-joho-katsuryoku/04-1.md",
    ]:
        seeds["initiative-" + rel.replace("/", "_")] = content(rel)
    for rel in ["akishima-gyozaisei/03-zaisei/_index.md", "musashino-gyokaku6/01-jichi/_index.md"]:
        seeds["section-" + rel.replace("/", "_")] = SEP + content(rel)
    for rel in ["akishima-gyozaisei/_plan.md", "musashino-gyokaku6/_plan.md", "musashino-johoka7/_plan.md"]:
        seeds["plan-" + rel.replace("/", "_")] = SEP * 2 + content(rel)
    for rel in ["mitaka-senryaku/indicators/3-2.md", "mitaka-kihon4/indicators/05-2.md"]:
        seeds["indicator-" + rel.replace("/", "_")] = SEP * 3 + content(rel)
    return seeds


def value():
    cells = [
        "34,677件", "33.46%", "▲1,200千円", "約4万件", "２４３人", "326事業所 (平成21年)",
        "1.16 (平成 26 年)", "4,372人 (198人)", "209 人 (注 1)", "同左", "—", "-",
        "8施設 98事業者", "維持", "概ね80%台を維持(90%未満)", "80台以下", "0m³",
        "60,000人 (令和3年度)", "56,139人", "令和元年度", "R5", "H31", "FY2023", "令和2(2020)年度",
        "12施設105事業者", "−3.5ポイント", "100億円以上", "1.5百万円",
    ]
    return {f"cell-{i:02}": c.encode() for i, c in enumerate(cells)}


def axis():
    series = [
        [-5_000_000.0], [-5_000_000.0, -5_000_000.0], [0.0, 0.0, 0.0], [1e308, 1e308],
        [1.7976931348623157e308, -1.7976931348623157e308], [2.2250738585072014e-308, 5e-324],
        [1e15, 1e15 + 1.0], [-1e20, 3.0], [123456789.123, 123456789.124],
        [34677.0, 60359.0, 293478.0, 202850.0, 400000.0], [243.0, 92.0, 0.0], [33.46, 35.1, 40.0, 50.0],
    ]
    return {f"series-{i:02}": b"".join(struct.pack("<d", v) for v in s) for i, s in enumerate(series)}


for target, seeds in {"loader": loader(), "value": value(), "axis": axis()}.items():
    folder = SEEDS / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in seeds.items():
        (folder / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds")

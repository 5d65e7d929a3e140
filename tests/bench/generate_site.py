#!/usr/bin/env python3
"""Generates a large synthetic mieruka site for benchmarks.

    python3 tests/bench/generate_site.py OUT_DIR N_INITIATIVES

The words come from the example site's own Japanese text, so that the
search index sees realistic vocabulary; the output is the same for the
same arguments (fixed random seed)."""
import os, random, re, sys, glob

out, n = sys.argv[1], int(sys.argv[2])
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
rng = random.Random(42)

# Vocabulary: runs of kanji/kana from the example content.
text = ""
for p in sorted(glob.glob(os.path.join(repo, "content/musashino-*/**/*.md"), recursive=True))[:200]:
    if not p.endswith(".en.md"):
        text += open(p, encoding="utf-8").read()
words = sorted(set(w for w in re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]{2,8}", text)))
depts = [f"部署{i:02d}課" for i in range(40)]

def sentence(k):
    return "".join(rng.choice(words) for _ in range(k)) + "。"

os.makedirs(os.path.join(out, "content/departments"), exist_ok=True)
open(os.path.join(out, "content/site.toml"), "w", encoding="utf-8").write('''title = { ja = "ベンチマーク市", en = "Benchmark City" }
base_url = "https://example.jp/bench/"
languages = ["ja", "en"]
[[municipalities]]
id = "bench"
name = { ja = "ベンチマーク市", en = "Benchmark City" }
''')
with open(os.path.join(out, "content/departments/bench.toml"), "w", encoding="utf-8") as f:
    f.write('municipality = "bench"\n')
    for i, d in enumerate(depts):
        f.write(f'\n[[departments]]\nid = "d{i:02d}"\nname = {{ ja = "{d}", en = "Division {i}" }}\n')
plan = os.path.join(out, "content/bench")
os.makedirs(plan, exist_ok=True)
open(os.path.join(plan, "_plan.md"), "w", encoding="utf-8").write('''+++
id = "bench"
municipality = "bench"
title = "ベンチマーク計画"
period = { first = "R3", last = "R6" }
reporting_year = "R5"
levels = [{ ja = "分野", en = "Area" }, { ja = "事業", en = "Project" }]

[[scales]]
key = "jisshi"
name = { ja = "実施状況", en = "Status" }
applies_to = "schedule"
[[scales.values]]
key = "completed"
symbols = ["◎", "完了"]
label = { ja = "完了", en = "Completed" }
order = 4
tone = "done"
[[scales.values]]
key = "in_progress"
symbols = ["○", "実施中"]
label = { ja = "実施中", en = "In progress" }
order = 3
tone = "progress"
[[scales.values]]
key = "not_started"
symbols = ["△", "未着手"]
label = { ja = "未着手", en = "Not started" }
order = 2
tone = "warning"
+++
''')
sections = max(1, n // 500)
for s in range(sections):
    sdir = os.path.join(plan, f"{s:03d}")
    os.makedirs(sdir, exist_ok=True)
    open(os.path.join(sdir, "_index.md"), "w", encoding="utf-8").write(f'+++\ncode = "{s + 1}"\ntitle = "{rng.choice(words)}{rng.choice(words)}の推進"\n+++\n{sentence(12)}\n')
for i in range(n):
    sdir = os.path.join(plan, f"{i % sections:03d}")
    statuses = "\n".join(f'{y} = "{rng.choice(["◎", "○", "○", "○", "△"])}"' for y in ["R3", "R4", "R5"])
    with open(os.path.join(sdir, f"{i:05d}.md"), "w", encoding="utf-8") as f:
        f.write(f'''+++
id = "b-{i:05d}"
title = "{rng.choice(words)}{rng.choice(words)}の{rng.choice(words)}"
departments = ["{rng.choice(depts)}"]

[[schedule]]
[schedule.plan]
R3 = "{rng.choice(words)}"
R4 = "→"
R5 = "{rng.choice(words)}"
[schedule.status]
{statuses}
+++
## 課題・目的

{sentence(25)}

## 取組事項

{sentence(30)}
''')
print(f"generated {n} initiatives in {sections} sections under {out}")

#!/usr/bin/env python3
"""The independent oracle (issue 27).

    oracle.py PUBLIC_DIR [--content ROOT]

Reads a built mieruka site's open data (PUBLIC_DIR/data/...) and its HTML
pages and recomputes, from README's decision tables and not from the Rust
code, what the pages state; every disagreement cites the table row:

- "How an indicator's status is decided" (rows 1-18): each indicator's
  status in plan.json and on its ja/en page, the progress figure, the time
  passed and k × e, the rule note's k, the year table's met/not met marks
  and "n of m years met" (rows 9, 10), the editor's reason (row 1), the
  words for a comparator the source does not state; the badge of every
  indicator row on every list page; the indicator headline counts (plan
  page, home card, indicators index).
- "How the changes page words a change": the items of every scale, left
  out by rules 1-3, classified by rows 1-7, in their groups and order over
  the numbered pages, the ended programmes, the 再掲 marks, the summary
  parts and the headings' counts; the indicators whose status at the end of
  the year changed (reached, fell back, other); the headline of each scale;
  one badge for an initiative with several rated rows (rows 1-3 and the
  words beside it); the date notice; the feeds' dates, titles and order.

Output: one line per disagreement, `page: what the page says ≠ what the table
gives (row N)`, then the rows the site went through (`rows covered: …`,
`changes rows covered: …`, `feed dates covered: …`, so a fixture that misses a
row shows it) and a summary line `indicators checked: N, headline counts: M,
changes entries: K, disagreements: D`. Exit status 1 when D > 0, 2 on a
usage error.

Three inputs of the tables are not in the open data; `--content ROOT` (the
site's root, holding `content/`) supplies them from the plans' front matter:
each plan's `[indicators] on_track` (k; default 0.8), each scale's
`across_years` (default per_year), and whether an indicator's source states
its comparator. Without --content they take their defaults and the
comparator's wording is not checked.

Python 3 standard library only.
"""

import csv
import glob
import json
import math
import os
import posixpath
import re
import sys
from html.parser import HTMLParser

try:
    import tomllib
except ImportError:  # python < 3.11: k falls back to its default
    tomllib = None

# ---------------------------------------------------------------------------
# A small DOM from html.parser
# ---------------------------------------------------------------------------

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "param", "source", "track", "wbr",
}


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children = []
        self.parent = parent

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def has_class(self, c):
        return c in self.classes()

    def text(self):
        out = []

        def walk(n):
            for ch in n.children:
                if isinstance(ch, str):
                    out.append(ch)
                else:
                    walk(ch)

        walk(self)
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def iter(self):
        for ch in self.children:
            if isinstance(ch, Node):
                yield ch
                yield from ch.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        for n in self.iter():
            if tag is not None and n.tag != tag:
                continue
            if cls is not None and not n.has_class(cls):
                continue
            if any(n.attrs.get(k) != v for k, v in attrs.items()):
                continue
            yield n

    def find(self, tag=None, cls=None, **attrs):
        return next(self.find_all(tag, cls, **attrs), None)


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


_dom_cache = {}


def dom(path):
    if path not in _dom_cache:
        with open(path, encoding="utf-8") as f:
            b = TreeBuilder()
            b.feed(f.read())
            b.close()
            _dom_cache[path] = b.root
    return _dom_cache[path]


# ---------------------------------------------------------------------------
# Vocabulary: how the pages name an indicator status
# ---------------------------------------------------------------------------

STATUSES = ["achieved", "on_track", "behind", "not_comparable", "no_data"]
LABELS = {
    "ja": {
        "達成": "achieved",
        "順調": "on_track",
        "遅れ": "behind",
        "判定対象外": "not_comparable",
        "データなし": "no_data",
    },
    "en": {
        "Achieved": "achieved",
        "On track": "on_track",
        "Behind": "behind",
        "Not assessed": "not_comparable",
        "No data yet": "no_data",
        "No data": "no_data",
    },
}
INDICATOR_HEADLINE = {"ja": "目標指標", "en": "Target indicators"}

# ---------------------------------------------------------------------------
# The indicator table
# ---------------------------------------------------------------------------

# A value printed as one of these is missing ("—" in README's list of how
# values are written), not a value that is not one number.
MISSING = {"", "—", "－", "-", "―", "‐", "ー", "―", "…", "*", "＊"}

EPS = 1e-9


def close(a, b):
    return abs(a - b) <= EPS * max(1.0, abs(a), abs(b))


def is_missing(o):
    return o["value"] is None and o["printed"].strip() in MISSING


def comparator_of(ind):
    """The comparator: the one the data states, else from `direction`
    (lower → at most, keep → exactly, otherwise at least)."""
    c = ind["target"].get("comparator")
    if c:
        return c
    return {"lower": "at_most", "keep": "exactly"}.get(ind["direction"], "at_least")


def meets(v, t, comparator):
    if comparator == "at_least":
        return v >= t or close(v, t)
    if comparator == "at_most":
        return v <= t or close(v, t)
    return close(v, t)


class Decision:
    """What the table gives for one indicator."""

    def __init__(self, status, row, progress=None, **extra):
        self.status = status
        self.row = row
        self.progress = progress  # p, shown as a percentage, or None
        self.extra = extra  # e, ke, yv, n, m …

    def __repr__(self):
        return f"Decision({self.status}, row {self.row}, p={self.progress}, {self.extra})"


def decide(ind, k, values_until=None, use_override=True):
    """The status by the table, rows in its order. `values_until`: only
    observations of a fiscal year up to it count (the status at the end of a
    year, for the changes page)."""
    if use_override and ind.get("status_override_reason") is not None:
        below = decide(ind, k, values_until, use_override=False)
        # row 1: the editor's status; progress as computed below
        return Decision(ind["status"], 1, below.progress, below_row=below.row, **below.extra)
    t = ind.get("target")
    if t is None:
        return Decision("not_comparable", 2)  # row 2: no target
    tv = t["value"]
    if "text" in tv:
        return Decision("not_comparable", 3)  # row 3: the target is words
    if tv.get("value") is None:
        return Decision("not_comparable", 4)  # row 4: several quantities
    tval = tv["value"]
    comp = comparator_of(ind)
    obs = [o for o in ind["observations"] if values_until is None or o["year"] <= values_until]
    finals = [o for o in obs if not o["interim"] and o["value"] is not None]
    if not finals:
        if any(o["value"] is None and not is_missing(o) for o in obs):
            return Decision("not_comparable", 5)  # row 5: values not one number
        if any(o["interim"] and not is_missing(o) for o in obs):
            return Decision("no_data", 6)  # row 6: only interim values
        return Decision("no_data", 7)  # row 7: no value at all
    base = ind.get("baseline")
    if base is not None and base["value"] is None:
        base = None  # a baseline printed as "—" (or in words) is no baseline
    # the final value of each year: the last one listed for it
    by_year = {}
    for o in finals:
        by_year[o["year"]] = o["value"]
    if t.get("each_year_from") is not None:
        yf, yt = t["each_year_from"], t["year"]
        years = sorted(
            y for y in by_year if yf <= y <= yt and (base is None or y >= base["year"])
        )
        if not years:
            return Decision("no_data", 8)  # row 8
        met = [y for y in years if meets(by_year[y], tval, comp)]
        judged = {y: y in met for y in years}
        y = years[-1]
        if y in met:
            return Decision("achieved", 9, year=y, n=len(met), m=len(years), judged=judged)  # row 9
        return Decision("behind", 10, year=y, n=len(met), m=len(years), judged=judged)  # row 10
    yv = max(by_year)
    v = by_year[yv]
    if base is not None and yv < base["year"]:
        return Decision("no_data", 11, yv=yv)  # row 11: older than the baseline
    goal = base is not None and not meets(base["value"], tval, comp)
    p = None
    if goal:
        b = base["value"]
        p = (v - b) / (tval - b)
    if meets(v, tval, comp):
        return Decision("achieved", 12, p if goal else None, yv=yv)  # row 12
    if base is None:
        return Decision("not_comparable", 13, yv=yv)  # row 13: no baseline
    if not goal:
        return Decision("behind", 14, yv=yv)  # row 14: a level to keep, not kept
    if p < 0:
        return Decision("behind", 15, yv=yv, p=p)  # row 15: moved away
    if p > 1:
        return Decision("behind", 16, yv=yv, p=p)  # row 16: gone past (exactly)
    yb = base["year"]
    yt = t["year"]
    if yt <= yb:
        e = 1.0
    else:
        e = min(1.0, max(0.0, (yv - yb) / (yt - yb)))
    ke = k * e
    if p >= ke or close(p, ke):
        return Decision("on_track", 17, p, yv=yv, e=e, ke=ke)  # row 17
    return Decision("behind", 18, p, yv=yv, e=e, ke=ke)  # row 18


# ---------------------------------------------------------------------------
# Reading the site
# ---------------------------------------------------------------------------


class Oracle:
    def __init__(self, public, content_root=None):
        self.public = public
        self.content_root = content_root
        self.disagreements = []
        self.rows = {}
        self.indicators = 0
        self.headline_counts = 0
        self.list_badges = 0
        self.pages_checked = 0
        self.changes_entries = 0
        self.change_rows = {}
        self.rollup_checked = 0
        self.feed_entries = 0
        self.summary_expect = {}
        self.feed_rows = {}
        self.notes = []

    def disagree(self, where, says, gives, row):
        if row is None:
            r = ""
        elif isinstance(row, int):
            r = f" (row {row})"
        else:
            r = f" ({row})"
        self.disagreements.append(f"{where}: {says} ≠ {gives}{r}")

    # -- plans ---------------------------------------------------------

    def datasets(self):
        """(plan.json path, page prefix, plan id, report year or None)."""
        data = os.path.join(self.public, "data")
        out = []
        for path in sorted(glob.glob(os.path.join(data, "*", "plan.json"))):
            plan_dir = os.path.dirname(path)
            pid = os.path.basename(plan_dir)
            out.append((path, pid + "/", pid, None))
            for rp in sorted(glob.glob(os.path.join(plan_dir, "reports", "*", "plan.json"))):
                year = os.path.basename(os.path.dirname(rp))
                out.append((rp, f"{pid}/reports/{year}/", pid, year))
        return out

    def on_track_k(self, pid, report_year):
        """k: the plan's `[indicators] on_track`, default 0.8 (not in the open
        data: read from the content when --content is given)."""
        front = self.plan_front(pid, report_year) or {}
        return float(front.get("indicators", {}).get("on_track", 0.8))

    def page(self, lang, rel):
        return os.path.join(self.public, rel) if lang == "ja" else os.path.join(self.public, "en", rel)

    # -- indicators ----------------------------------------------------

    def check_indicators(self):
        self.decided = {}  # (prefix, id) → Decision
        for path, prefix, pid, year in self.datasets():
            plan = json.load(open(path, encoding="utf-8"))
            k = self.on_track_k(pid, year)
            rel_json = os.path.relpath(path, self.public)
            for ind in plan["indicators"]:
                d = decide(ind, k)
                d.extra["k"] = k
                self.indicators += 1
                self.rows[d.row] = self.rows.get(d.row, 0) + 1
                self.decided[(prefix, ind["id"])] = (d, ind)
                if ind["status"] != d.status:
                    self.disagree(f"{rel_json} {ind['id']}", f"status {ind['status']}", d.status, d.row)
                t = ind.get("target")
                if t and "text" not in t["value"]:
                    printed = t["value"]["printed"]
                    c = t.get("comparator")
                    for word, want in (("以上", "at_least"), ("以下", "at_most")):
                        if word in printed and c and c != want:
                            self.disagree(f"{rel_json} {ind['id']}", f"comparator {c}",
                                          f"{want} (the target is printed {printed})", None)
                for lang in ("ja", "en"):
                    self.check_indicator_page(lang, prefix, ind, d)
            self.check_headlines(prefix, pid, year, plan, k)

    def check_indicator_page(self, lang, prefix, ind, d):
        rel = f"{prefix}indicators/{ind['id']}/index.html"
        path = self.page(lang, rel)
        where = os.path.relpath(path, self.public)
        if not os.path.exists(path):
            self.disagree(where, "no page", "a page for the indicator", None)
            return
        self.pages_checked += 1
        root = dom(path)
        st = root.find("p", "current-status")
        label = st.find("span", "badge-label").text() if st and st.find("span", "badge-label") else None
        shown = LABELS[lang].get(label)
        if shown != d.status:
            self.disagree(where, f"status {label or 'none'}", d.status, d.row)
        self.check_rule_note(lang, where, root, d.extra.get("k"))
        sentence = root.find("p", "sentence")
        stext = sentence.text() if sentence else ""
        pct = self.progress_shown(lang, stext)
        self.check_progress(where, pct, d, "sentence")
        method = self.method_text(root)
        if method:
            mp = self.progress_shown(lang, method)
            self.check_progress(where, mp, d, "method")
            if d.row in (17, 18) or d.extra.get("below_row") in (17, 18):
                e, ke = d.extra["e"], d.extra["ke"]
                got = self.elapsed_shown(lang, method)
                if got is not None:
                    pe, pke = got
                    if not pct_matches(pe, e):
                        self.disagree(where, f"time passed {pe}%", f"{pct_str(e)}", d.row)
                    if not pct_matches(pke, ke):
                        self.disagree(where, f"on track needs {pke}%", f"k × e = {pct_str(ke)}", d.row)
        self.check_comparator_words(lang, where, ind, stext)
        if d.row in (8, 9, 10) or d.extra.get("below_row") in (8, 9, 10):
            self.check_recurring(lang, where, root, d, stext)
        if d.row == 1:
            reason = ind["status_override_reason"]
            want = reason.get(lang) or reason.get("ja") if isinstance(reason, dict) else reason
            main = root.find("main")
            if want and main is not None and want.strip() not in main.text():
                self.disagree(where, "no editor's reason", f"the reason {want!r}", 1)

    def stated_comparator(self, ind):
        """Whether the source states the comparator (`comparator = …`, or
        以上/以下 in the value): True/False from the content, None without it."""
        if not self.content_root:
            return None
        if not hasattr(self, "_stated"):
            self._stated = {}
            for path in glob.glob(os.path.join(self.content_root, "content", "*", "indicators", "*.md")):
                if path.endswith(".en.md"):
                    continue
                text = open(path, encoding="utf-8-sig").read().replace("\r\n", "\n")
                m = re.match(r"\+\+\+\n(.*?)\n\+\+\+", text, re.S)
                if not m:
                    continue
                front = m.group(1)
                mid = re.search(r'^id\s*=\s*"([^"]+)"', front, re.M)
                tgt = front.split("[target]", 1)[1] if "[target]" in front else ""
                tgt = re.split(r"^\[", tgt, flags=re.M)[0]
                stated = bool(re.search(r"^comparator\s*=", tgt, re.M)) or bool(
                    re.search(r'^value\s*=\s*"[^"]*(以上|以下)', tgt, re.M))
                if mid:
                    self._stated[mid.group(1)] = stated
        return self._stated.get(ind["id"])

    def check_comparator_words(self, lang, where, ind, sentence):
        """A number target whose comparator the source does not state: the
        page says it was judged so, without adding 以上/以下 to the target."""
        t = ind.get("target")
        if not t or "text" in t["value"] or t["value"].get("value") is None:
            return
        stated = self.stated_comparator(ind)
        if stated is None:
            return
        printed = t["value"]["printed"]
        # the target's clause, without the words saying how it was judged
        if lang == "ja":
            head = re.sub(r"（[^（）]*(?:（[^（）]*）[^（）]*)*として判定）", "", sentence.split("。")[0])
        else:
            head = re.sub(r"\(judged as[^()]*(?:\([^()]*\)[^()]*)*\)", "", sentence.split(". ")[0])
        if not stated:
            judged = "として判定" in sentence if lang == "ja" else "judged as" in sentence
            added = re.search(re.escape(printed) + "(以上|以下)", head) if lang == "ja" else re.search(r"or (more|fewer|less)", head)
            if not judged or added:
                self.disagree(where, f"target {head!r}", "the target as printed, and that the comparator was judged from the direction", "comparator not stated")
        elif ("記載がないため" in sentence) or ("states no bound" in sentence):
            self.disagree(where, "the comparator judged from the direction", "the comparator the source states", "comparator stated")

    def check_recurring(self, lang, where, root, d, sentence):
        """Rows 9 and 10: each judged year's mark in the year table (met ✓ /
        not met ✗, none for a year not judged) and "n of m years met"."""
        judged = d.extra.get("judged", {})
        row = d.row if d.row in (8, 9, 10) else d.extra.get("below_row")
        marked = {}
        table = root.find("table", "data")
        col = None
        head = table.find("thead") if table else None
        if head is not None:
            names = [th.text() for th in head.find_all("th")]
            for i, name in enumerate(names):
                if name in ("目標達成", "Met target"):
                    col = i - 1  # the row's year is a th, not a td
        for tr in (table.find_all("tr") if table else []):
            th = tr.find("th")
            tds = [c for c in tr.children if isinstance(c, Node) and c.tag == "td"]
            if th is None or not tds:
                continue
            m = re.search(r"(?:FY|（)(\d{4})", th.text())
            if not m or "–" in th.text() or "～" in th.text():
                continue
            y = int(m.group(1))
            mark = tds[col].text() if col is not None and col < len(tds) else ""
            if "✓" in mark or "✗" in mark:
                marked.setdefault(y, []).append("✓" in mark)
        for y, marks in marked.items():
            if y not in judged:
                self.disagree(where, f"FY{y} marked {'met' if marks[-1] else 'not met'}", "not judged (out of the target's years, before the baseline, or interim)", row)
            elif marks[-1] != judged[y]:
                self.disagree(where, f"FY{y} marked {'met' if marks[-1] else 'not met'}", "met" if judged[y] else "not met", row)
        for y, ok in judged.items():
            if y not in marked:
                self.disagree(where, f"FY{y} without a mark", "met" if ok else "not met", row)
        if row == 8:
            return
        n, m_ = d.extra["n"], d.extra["m"]
        pat = rf"\b{n} of {m_}\b" if lang == "en" else rf"{m_}(?:年度|回)?のうち{n}"
        if not re.search(pat, sentence):
            self.disagree(where, "no count of the years met", f"{n} of {m_} years met", row)

    def check_rule_note(self, lang, where, root, k):
        """The rule stated under the method names k as a percentage."""
        if k is None:
            return
        for note in root.find_all("p", "rule-note"):
            if lang == "ja":
                m = re.search(r"経過期間の割合の(\d+(?:\.\d+)?)%以上", note.text())
            else:
                m = re.search(r"at least (\d+(?:\.\d+)?)% of the share of time", note.text())
            if m and not close(float(m.group(1)), k * 100):
                self.disagree(where, f"on track at {m.group(1)}% of the time passed (rule note)",
                              f"k = {fmt_num(k * 100)}%", None)

    @staticmethod
    def method_text(root):
        h = root.find("h2", id="method")
        if h is None:
            return ""
        sib = h.parent.children
        i = sib.index(h)
        for n in sib[i + 1:]:
            if isinstance(n, Node):
                if n.tag == "p" and not n.has_class("rule-note"):
                    return n.text()
                if n.tag.startswith("h"):
                    return ""
        return ""

    @staticmethod
    def progress_shown(lang, text):
        if lang == "ja":
            m = re.search(r"(-?[\d,]+(?:\.\d+)?)%まで進んで", text)
        else:
            m = re.search(r"(-?[\d,]+(?:\.\d+)?)% of the way", text)
        return float(m.group(1).replace(",", "")) if m else None

    @staticmethod
    def elapsed_shown(lang, text):
        if lang == "ja":
            m = re.search(r"(\d+(?:\.\d+)?)%が経過.*?(\d+(?:\.\d+)?)%以上", text)
        else:
            m = re.search(r"(\d+(?:\.\d+)?)% of the time.*?at least (\d+(?:\.\d+)?)%", text)
        return (float(m.group(1)), float(m.group(2))) if m else None

    def check_progress(self, where, shown, d, part):
        want = d.progress
        if want is None and shown is not None:
            self.disagree(where, f"progress {fmt_num(shown)}% ({part})", "no progress figure", d.row)
        elif want is not None and shown is None:
            self.disagree(where, f"no progress figure ({part})", f"progress {pct_str(want)}", d.row)
        elif want is not None and not pct_matches(shown, want):
            self.disagree(where, f"progress {fmt_num(shown)}% ({part})", f"progress {pct_str(want)}", d.row)
        if shown is not None and shown >= 100 and d.status != "achieved":
            self.disagree(where, f"progress {fmt_num(shown)}% ({part}) while not achieved",
                          "below 100% unless achieved", d.row)

    # -- lists: every indicator row on every page ------------------------

    def check_lists(self):
        known = {}
        for (prefix, iid), dv in self.decided.items():
            known[f"{prefix}indicators/{iid}/"] = dv
        for lang in ("ja", "en"):
            base = self.public if lang == "ja" else os.path.join(self.public, "en")
            for dirpath, dirnames, filenames in os.walk(base):
                if lang == "ja":
                    rel_dir = os.path.relpath(dirpath, base)
                    if rel_dir.split(os.sep)[0] in ("en", "data", "assets", "search"):
                        dirnames[:] = []
                        continue
                for fn in filenames:
                    if not fn.endswith(".html"):
                        continue
                    path = os.path.join(dirpath, fn)
                    with open(path, encoding="utf-8") as f:
                        if 'class="indicator-row"' not in f.read():
                            continue
                    rel_page = os.path.relpath(path, self.public).replace(os.sep, "/")
                    root = dom(path)
                    for li in root.find_all("li", "indicator-row"):
                        a = li.find("a", "indicator-name")
                        if a is None:
                            continue
                        target = resolve(rel_page, a.attrs.get("href", ""))
                        if lang == "en" and target.startswith("en/"):
                            target = target[3:]
                        dv = known.get(target)
                        where = os.path.relpath(path, self.public)
                        if dv is None:
                            self.disagree(where, f"a list row linking {a.attrs.get('href')}", "an indicator of the open data", None)
                            continue
                        d, ind = dv
                        self.list_badges += 1
                        lab = li.find("span", "badge-label")
                        label = lab.text() if lab else None
                        if LABELS[lang].get(label) != d.status:
                            self.disagree(where, f"{ind['id']} listed as {label or 'no status'}", d.status, d.row)

    # -- headline counts ------------------------------------------------

    def expected_counts(self, prefix):
        c = {}
        for (p, _), (d, _) in self.decided.items():
            if p == prefix:
                c[d.status] = c.get(d.status, 0) + 1
        return c

    def check_headlines(self, prefix, pid, year, plan, k):
        want = {}
        for ind in plan["indicators"]:
            d, _ = self.decided[(prefix, ind["id"])]
            want[d.status] = want.get(d.status, 0) + 1
        total = len(plan["indicators"])
        for lang in ("ja", "en"):
            blocks = []
            # the plan page's glance
            pp = self.page(lang, prefix + "index.html")
            if os.path.exists(pp):
                for div in dom(pp).find_all("div", "headline"):
                    if self.is_indicator_headline(lang, div):
                        blocks.append((pp, div))
            # the home page's plan card (the current report only)
            if year is None:
                hp = self.page(lang, "index.html")
                if os.path.exists(hp):
                    for card in dom(hp).find_all("li", "plan-card"):
                        a = card.find("h3")
                        a = a.find("a") if a else None
                        if a is None or resolve("index.html", a.attrs.get("href", "")).rstrip("/") != pid:
                            continue
                        for div in card.find_all("div", "headline"):
                            if self.is_indicator_headline(lang, div):
                                blocks.append((hp, div))
            # the indicators' index
            ip = self.page(lang, prefix + "indicators/index.html")
            if total and os.path.exists(ip):
                root = dom(ip)
                h = root.find("h2", id="counts")
                ul = root.find("ul", "count-list")
                where = os.path.relpath(ip, self.public)
                if h is None or ul is None:
                    self.disagree(where, "no counts by status", f"counts {want}", None)
                else:
                    self.check_rule_note(lang, where, root, k)
                    m = re.search(r"[（(](\d+)[）)]", h.text())
                    self.compare_total(where, m and int(m.group(1)), total)
                    self.compare_legend(lang, where, ul, want)
            expect_block = total > 0
            if expect_block and not blocks:
                where = os.path.relpath(pp, self.public)
                self.disagree(where, "no indicator headline", f"counts {want}", None)
            for path, div in blocks:
                where = os.path.relpath(path, self.public)
                if not expect_block:
                    self.disagree(where, "an indicator headline", "none (the plan has no indicators)", None)
                    continue
                ul = div.find("ul", "count-list")
                if ul is not None:
                    self.compare_legend(lang, where, ul, want)
                sent = div.find("p", "headline-sentence")
                if sent is not None:
                    self.compare_sentence(lang, where, sent.text(), want, total)

    @staticmethod
    def is_indicator_headline(lang, div):
        t = div.find(cls="headline-title")
        return t is not None and t.text() == INDICATOR_HEADLINE[lang]

    def compare_total(self, where, shown, total):
        self.headline_counts += 1
        if shown != total:
            self.disagree(where, f"{shown} indicators in all", f"{total}", None)

    def compare_legend(self, lang, where, ul, want):
        got = {}
        for li in ul.find_all("li"):
            lab = li.find("span", "badge-label")
            cnt = li.find("span", "count")
            if lab is None or cnt is None:
                continue
            key = LABELS[lang].get(lab.text(), lab.text())
            got[key] = int(re.sub(r"\D", "", cnt.text()) or 0)
        self.compare_counts(where, "legend", got, want)

    def compare_sentence(self, lang, where, text, want, total):
        if lang == "ja":
            m = re.search(r"目標指標(\d+)件", text)
        else:
            m = re.search(r"(\d+) in all", text)
        self.compare_total(where + " (sentence)", m and int(m.group(1)), total)
        got = {}
        for label, key in LABELS[lang].items():
            pat = rf"(?:^|[：:、,.\s]){re.escape(label)} (\d+)"
            mm = re.search(pat, text)
            if mm:
                got[key] = int(mm.group(1))
        self.compare_counts(where, "sentence", got, want)

    def compare_counts(self, where, part, got, want):
        for key in STATUSES:
            g, w = got.get(key, 0), want.get(key, 0)
            self.headline_counts += 1
            if g != w:
                self.disagree(where, f"{key} {g} ({part})", f"{w}", None)
        for key in got:
            if key not in STATUSES:
                self.disagree(where, f"an unknown status {key!r} ({part})", "one of the indicator statuses", None)

    # -- the changes page ----------------------------------------------

    def across_years(self, pid, scale, index):
        """A scale's `across_years`: from the open data where it says, else
        from the plan's content (--content), else the table's default."""
        if scale.get("across_years"):
            return scale["across_years"]
        front = self.plan_front(pid)
        if front:
            scales = front.get("scales", [])
            for sc in scales:
                if sc.get("key") == scale["key"] and sc.get("across_years"):
                    return sc["across_years"]
        return "per_year"

    def plan_front(self, pid, report_year=None):
        """The front matter of the plan's `_plan.md` (or of a kept report's)."""
        if not self.content_root:
            return None
        folder = os.path.join(self.content_root, "content", pid)
        if report_year:
            folder = os.path.join(folder, "_reports", report_year)
        try:
            text = open(os.path.join(folder, "_plan.md"), encoding="utf-8-sig").read().replace("\r\n", "\n")
        except OSError:
            return None
        m = re.match(r"\+\+\+\n(.*?)\n\+\+\+", text, re.S)
        if not m:
            return None
        if tomllib is not None:
            return tomllib.loads(m.group(1))
        return minimal_front(m.group(1))

    def check_changes(self):
        for path, prefix, pid, year in self.datasets():
            if year is not None:
                continue  # a past report's pages have no changes page of their own
            plan = json.load(open(path, encoding="utf-8"))
            k = self.on_track_k(pid, None)
            Y = min(plan["reporting_year"], plan["last_year"])
            P = Y - 1
            exists = (plan["scales"] or plan["indicators"]) and P >= plan["first_year"]
            for lang in ("ja", "en"):
                first = self.page(lang, prefix + "changes/index.html")
                where = os.path.relpath(first, self.public)
                if not exists:
                    if os.path.exists(first):
                        self.disagree(where, "a changes page", f"none (P = {P} is before the plan's first year, or nothing is rated)", "changes table: the years")
                    continue
                if not os.path.exists(first):
                    self.disagree(where, "no changes page", f"one comparing {Y} with {P}", "changes table: the years")
                    continue
                self.check_changes_page(lang, prefix, pid, plan, Y, P, k)

    def changes_items(self, pid, plan, Y, P):
        """Every item of every scale, in the table's order: (scale, item id,
        row label, status in P, status in Y, initiative or None)."""
        items = []
        for si, sc in enumerate(plan["scales"]):
            kind = sc["applies_to"]
            if kind == "section":
                level = sc.get("level") or 1
                for sec in plan["sections"]:
                    if sec["level"] != level:
                        continue
                    r = sec.get("ratings", {}).get(sc["key"], {})
                    items.append((si, sec["id"], None, r.get(str(P)), r.get(str(Y)), None))
                continue
            for ini in plan["initiatives"]:
                if kind == "schedule":
                    for row in ini.get("schedule") or []:
                        st = row.get("status") or {}
                        items.append((si, ini["id"], row.get("label"), st.get(str(P)), st.get(str(Y)), ini))
                else:
                    items.append((si, ini["id"], None, initiative_status(ini, P), initiative_status(ini, Y), ini))
        return items

    def check_changes_page(self, lang, prefix, pid, plan, Y, P, k):
        self._current_prefix = prefix
        pages = changes_pages(self.page(lang, prefix + "changes/index.html"))
        first_where = os.path.relpath(pages[0], self.public)
        scales = plan["scales"]
        kinds = [self.across_years(pid, sc, i) for i, sc in enumerate(scales)]
        values = [{v["key"]: v for v in sc["values"]} for sc in scales]
        relisted = {}
        for ini in plan["initiatives"]:
            if ini.get("repeat_of"):
                relisted.setdefault(ini["repeat_of"], []).append(ini)

        def label(si, key):
            if key is None:
                return "未報告" if lang == "ja" else "Not reported"
            v = values[si].get(key)
            return (v["label"].get(lang) or v["label"]["ja"]) if v else key

        groups = {g: [] for g in ("forward", "back", "differs", "reported", "other", "ended")}
        counted = []  # items not left out by rules 1 and 2 (for the per-year counts)
        for si, iid, row_label, a, b, ini in self.changes_items(pid, plan, Y, P):
            if ini is not None and ini.get("ended_after") is not None and ini["ended_after"] < Y:
                self.cover("left out 1")
                continue  # left out, rule 1
            if ini is not None and ini.get("repeat_of"):
                self.cover("left out 2")
                continue  # left out, rule 2
            counted.append((si, a, b))
            if a == b:
                self.cover("left out 3")
                continue  # left out, rule 3
            if a is None:
                kind, row = "reported", 1
            elif b is None:
                kind, row = "other", 2
            elif kinds[si] != "progression":
                kind, row = "differs", 3
            else:
                va, vb = values[si].get(a), values[si].get(b)
                if va is None or vb is None:
                    kind, row = "other", 7
                elif va["tone"] == "neutral" or vb["tone"] == "neutral":
                    kind, row = "other", 4
                elif vb["order"] > va["order"]:
                    kind, row = "forward", 5
                elif vb["order"] < va["order"]:
                    kind, row = "back", 6
                else:
                    kind, row = "other", 7
            self.cover(str(row))
            groups[kind].append({
                "id": iid, "from": label(si, a), "to": label(si, b), "row": row,
                "si": si, "b": b, "ini": ini,
                "row_label": row_label,
            })
        for ini in plan["initiatives"]:
            if ini.get("ended_after") == P and not ini.get("repeat_of"):
                self.cover("ended")
                groups["ended"].append({"id": ini["id"], "from": None, "to": None, "row": "ended", "ini": ini, "row_label": None})

        # what the pages show, group by group, over all numbered pages
        shown = {}
        ind_shown = {}
        heading_counts = {}
        summary = None
        for pth in pages:
            root = dom(pth)
            main = root.find("main") or root
            if summary is None:
                ul = main.find("ul", "changes-summary")
                summary = [li.text() for li in ul.find_all("li")] if ul else []
            group = None
            for n in main.iter():
                if n.tag in ("h2", "h3") and (n.attrs.get("id") or "").startswith("changes-"):
                    group = n.attrs["id"][len("changes-"):]
                    m = re.search(r"[（(](\d+)[）)]\s*$", n.text())
                    if m and group not in heading_counts:
                        heading_counts[group] = (int(m.group(1)), os.path.relpath(pth, self.public))
                    continue
                if n.tag == "ul" and (n.has_class("changes-list") or n.has_class("initiative-list")) and group:
                    for li in n.find_all("li"):
                        a = li.find("a")
                        if a is None:
                            continue
                        href = a.attrs.get("href", "").rstrip("/")
                        badges = [x.text() for x in li.find_all("span", "badge-label")]
                        rl = li.find("span", "row-label")
                        entry = {
                            "id": href.split("/")[-1], "badges": badges,
                            "row_label": rl.text() if rl else None, "text": li.text(),
                            "page": os.path.relpath(pth, self.public),
                        }
                        if group.startswith("ind-"):
                            ind_shown.setdefault(group[4:], []).append(entry)
                        else:
                            shown.setdefault(group, []).append(entry)
        for g, (cnt, pg) in heading_counts.items():
            rows = len(ind_shown.get(g[4:], [])) if g.startswith("ind-") else len(shown.get(g, []))
            self.headline_counts += 1
            if cnt != rows:
                self.disagree(pg, f"{g} heading says {cnt}", f"the {rows} rows of the group over all pages", "changes table: summary")
        for g in shown:
            if g not in groups:
                self.disagree(first_where, f"a group {g!r} of {len(shown[g])} rows", "no such group in the table", None)
        for g, want in groups.items():
            got = shown.get(g, [])
            self.compare_entries(lang, first_where, g, got, want, relisted)
        self.check_changes_summary(lang, first_where, summary or [], groups, counted, scales, kinds, values, Y, P, label)
        if plan["indicators"]:
            self.check_indicator_changes(lang, prefix, first_where, plan, ind_shown, summary or [], Y, P, k)

    def compare_entries(self, lang, where, g, got, want, relisted):
        for i in range(max(len(got), len(want))):
            gw = got[i] if i < len(got) else None
            ww = want[i] if i < len(want) else None
            rowno = ww["row"] if ww else None
            rowref = f"changes table row {rowno}" if isinstance(rowno, int) else "changes table: ended"
            if ww is not None:
                self.changes_entries += 1
            if gw is None:
                self.disagree(where, f"no entry #{i + 1} in {g}", f"{ww['id']} {ww['from'] or ''} → {ww['to'] or ''}".strip(), rowref)
                continue
            if ww is None:
                self.disagree(gw["page"], f"{g} #{i + 1}: {gw['id']} {' → '.join(gw['badges'])}", "no such entry",
                              f"changes table: {g} has {len(want)} rows")
                continue
            want_badges = [ww["from"], ww["to"]] if ww["from"] is not None else []
            if gw["id"] != ww["id"].split("/")[-1] or (want_badges and gw["badges"][:2] != want_badges):
                self.disagree(gw["page"], f"{g} #{i + 1}: {gw['id']} {' → '.join(gw['badges'])}",
                              f"{ww['id']} {' → '.join(want_badges)}", rowref)
                continue
            rl = ww.get("row_label")
            if lang == "ja" and gw["row_label"] is not None and rl and rl.get("ja") and gw["row_label"] != rl["ja"]:
                self.disagree(gw["page"], f"{g} #{i + 1}: row {gw['row_label']!r}", f"row {rl['ja']!r}", rowref)
            if lang == "ja" and ww.get("ini") is not None:
                for rep in relisted.get(ww["ini"]["id"], []):
                    mark = "再掲あり："
                    want_mark = f"{mark}{(rep.get('code') + ' ') if rep.get('code') else ''}{rep['title']['ja']}"
                    if re.sub(r"\s", "", want_mark) not in re.sub(r"\s", "", gw["text"]):
                        self.disagree(gw["page"], f"{g} #{i + 1}: {gw['id']} without 「{want_mark}」", "the mark naming its re-listing", "changes table: left out, 2")

    def check_changes_summary(self, lang, where, summary, groups, counted, scales, kinds, values, Y, P, label):
        n = {g: len(v) for g, v in groups.items()}
        parts = []  # (ja text, en regex)
        if "progression" in kinds:
            parts.append((f"前進 {n['forward']}件", rf"{n['forward']} moved forward"))
            parts.append((f"後退 {n['back']}件", rf"{n['back']} moved back"))
        if any(k != "progression" for k in kinds):
            parts.append((f"前年度と評価が異なる {n['differs']}件", rf"{n['differs']} rated differently from the year before"))
        bad = []
        for g in ("forward", "back", "differs", "reported", "other"):
            pass
        listed = [e for g in ("forward", "back", "differs", "reported", "other") for e in groups[g]]
        listed.sort(key=lambda e: e.get("order_key", 0))
        for e in self._items_in_order(groups):
            v = values[e["si"]].get(e["b"]) if e["b"] is not None else None
            if v is not None and v["tone"] == "bad" and (e["si"], e["b"]) not in bad:
                bad.append((e["si"], e["b"]))
        for si, key in bad:
            cnt = sum(1 for e in listed if e["si"] == si and e["b"] == key)
            v = values[si][key]
            sym = (v.get("symbol") + " ") if v.get("symbol") else ""
            parts.append((f"{sym}{v['label']['ja']}へ {cnt}件", rf"{cnt} to {re.escape(sym)}{re.escape(v['label'].get('en') or v['label']['ja'])}"))
        if n["reported"]:
            parts.append((f"今年度はじめて報告 {n['reported']}件", rf"{n['reported']}\b.*"))
        if n["ended"]:
            parts.append((f"終了 {n['ended']}件", rf"{n['ended']}\b.*"))
        for si, sc in enumerate(scales):
            if kinds[si] == "progression":
                continue
            cy, cp = {}, {}
            for s2, a, b in counted:
                if s2 == si:
                    cy[b] = cy.get(b, 0) + 1
                    cp[a] = cp.get(a, 0) + 1
            vals = sorted(sc["values"], key=lambda v: -v["order"])

            def line(c, lang_):
                out = []
                for v in vals:
                    if c.get(v["key"]):
                        lab = v["label"].get(lang_) or v["label"]["ja"]
                        out.append(f"{lab} {c[v['key']]}件" if lang_ == "ja" else f"{lab} {c[v['key']]}")
                if c.get(None):
                    out.append(f"未報告 {c[None]}件" if lang_ == "ja" else f"Not reported {c[None]}")
                return ("・" if lang_ == "ja" else ", ").join(out)

            ja = f"{sc['name']['ja']}：{fy_ja(Y)} {line(cy, 'ja')}（{fy_ja(P)} {line(cp, 'ja')}）"
            en = re.escape(f"{sc['name'].get('en') or sc['name']['ja']}: FY{Y} {line(cy, 'en')} (FY{P}: {line(cp, 'en')})")
            parts.append((ja, en))
        self.summary_expect[(self._current_prefix, lang)] = parts
        got = [s for s in summary if not is_indicator_part(s)]
        self.headline_counts += len(parts)
        for i in range(max(len(got), len(parts))):
            g = got[i] if i < len(got) else None
            w = parts[i] if i < len(parts) else None
            if w is None:
                self.disagree(where, f"summary part {g!r}", "no such part", "changes table: summary")
            elif g is None:
                self.disagree(where, "no summary part", f"{w[0]!r}", "changes table: summary")
            elif lang == "ja" and g != w[0]:
                self.disagree(where, f"summary {g!r}", f"{w[0]!r}", "changes table: summary")
            elif lang == "en" and not re.fullmatch(w[1], g):
                self.disagree(where, f"summary {g!r}", f"/{w[1]}/ ({w[0]})", "changes table: summary")
        # every count in the summary equals the rows of its group (the h2 count too)

    @staticmethod
    def _items_in_order(groups):
        out = []
        for g in ("forward", "back", "differs", "reported", "other"):
            out.extend(groups[g])
        return out

    def check_indicator_changes(self, lang, prefix, where, plan, shown, summary, Y, P, k):
        want = {"reached": [], "fell": [], "other": []}
        for ind in plan["indicators"]:
            sp = status_at_end(ind, k, P)
            sy = status_at_end(ind, k, Y)
            if sp.status == sy.status:
                continue
            g = "reached" if sy.status == "achieved" else "fell" if sp.status == "achieved" else "other"
            self.cover(f"indicator {g}")
            want[g].append({"id": ind["id"], "from": sp, "to": sy})
        labels = {v: k_ for k_, v in LABELS[lang].items()}
        aliases = {"fell": ("fell", "fell-back", "back", "lost"), "other": ("other", "changed")}
        for g, ws in want.items():
            got = []
            for name in aliases.get(g, (g,)):
                got += shown.get(name, [])
            for i in range(max(len(got), len(ws))):
                gw = got[i] if i < len(got) else None
                ww = ws[i] if i < len(ws) else None
                if ww is not None:
                    self.changes_entries += 1
                if gw is None:
                    self.disagree(where, f"no indicator entry #{i + 1} in {g}",
                                  f"{ww['id']} {labels.get(ww['from'].status)} → {labels.get(ww['to'].status)}",
                                  f"rows {ww['from'].row} → {ww['to'].row}")
                    continue
                if ww is None:
                    self.disagree(gw["page"], f"indicators {g} #{i + 1}: {gw['id']} {' → '.join(gw['badges'])}", "no such entry", None)
                    continue
                wb = [labels.get(ww["from"].status, ww["from"].status), labels.get(ww["to"].status, ww["to"].status)]
                if gw["id"] != ww["id"] or gw["badges"][:2] != wb:
                    self.disagree(gw["page"], f"indicators {g} #{i + 1}: {gw['id']} {' → '.join(gw['badges'])}",
                                  f"{ww['id']} {' → '.join(wb)}", f"rows {ww['from'].row} → {ww['to'].row}")
        known = set().union(*[aliases.get(g, (g,)) for g in want])
        for g in shown:
            if g not in known:
                self.disagree(where, f"an indicator group {g!r}", "reached, fell back or other", None)
        # the summary's indicator parts
        if lang == "ja":
            pats = {"reached": r"目標を達成した指標 (\d+)件", "fell": r"達成から外れた指標 (\d+)件",
                    "other": r"評価が変わった指標 (\d+)件"}
        else:
            pats = {"reached": r"(\d+) indicators? reached (?:its|their) target",
                    "fell": r"(\d+) indicators? fell back from (?:its|their) target",
                    "other": r"(\d+) indicators? changed status"}
        for g, pat in pats.items():
            found = [s for s in summary if re.fullmatch(pat, s)]
            w = len(want[g])
            if not found:
                if w:
                    self.disagree(where, f"no summary part for {g}", f"{w}", "indicator table at the end of each year")
                continue
            self.headline_counts += 1
            got = int(re.fullmatch(pat, found[0]).group(1))
            if got != w:
                self.disagree(where, f"summary {found[0]!r}", f"{w} ({g})", "indicator table at the end of each year")

    # -- the headline of each status scale ------------------------------

    def check_scale_headlines(self):
        """The changes table's "headline" paragraph: for reporting_year, every
        item of the scale whose initiative has not ended before that year, by
        its value, ∅ as 未報告; re-listed initiatives counted where printed;
        items of ended initiatives as 終了 (README, an initiative's `ended`)."""
        for path, prefix, pid, year in self.datasets():
            if year is not None:
                continue
            plan = json.load(open(path, encoding="utf-8"))
            ry = plan["reporting_year"]
            for si, sc in enumerate(plan["scales"]):
                want = {}
                for s2, _iid, _label, _a, b, ini in self.changes_items(pid, plan, ry, ry):
                    if s2 != si:
                        continue
                    if ini is not None and ini.get("ended_after") is not None and ini["ended_after"] < ry:
                        key = "#ended"
                    else:
                        key = b if b is not None else "#unreported"
                    want[key] = want.get(key, 0) + 1
                for lang in ("ja", "en"):
                    places = [self.page(lang, prefix + "index.html")]
                    home = self.page(lang, "index.html")
                    for place in places + [home]:
                        if not os.path.exists(place):
                            continue
                        rel_place = os.path.relpath(place, self.public).replace(os.sep, "/")
                        for div in dom(place).find_all("div", "headline"):
                            got = self.scale_legend(rel_place, div, pid, sc["key"])
                            if got is None:
                                continue
                            where = os.path.relpath(place, self.public)
                            for key in sorted(set(got) | set(want), key=str):
                                self.headline_counts += 1
                                if got.get(key, 0) != want.get(key, 0):
                                    name = key.lstrip("#")
                                    self.disagree(where, f"{sc['key']} headline {name} {got.get(key, 0)}",
                                                  f"{want.get(key, 0)}", "changes table: the headline")

    @staticmethod
    def scale_legend(rel_place, div, pid, scale_key):
        """The counts of a headline whose legend links to the scale's status
        lists, by value key (#unreported, #ended); None for another headline."""
        ul = div.find("ul", "headline-legend")
        if ul is None:
            return None
        out = {}
        mine = False
        for li in ul.find_all("li"):
            cnt = li.find("span", "count")
            if cnt is None:
                continue
            n = int(re.sub(r"\D", "", cnt.text()) or 0)
            a = li.find("a")
            badge = li.find("span", "badge")
            if a is not None:
                target = resolve(rel_place, a.attrs.get("href", ""))
                m = re.search(r"(?:^|/)" + re.escape(pid) + r"/status/([^/]+)/([^/]+)/\d+/?$", target)
                if not m:
                    return None
                if m.group(1) != scale_key:
                    return None
                mine = True
                key = "#unreported" if m.group(2) == "unreported" else m.group(2)
            elif badge is not None and badge.has_class("tone-ended"):
                key = "#ended"
            else:
                continue
            out[key] = out.get(key, 0) + n
        return out if mine else None

    # -- one badge for an initiative with several rated rows --------------

    def check_rollups(self):
        """The changes README's "One badge for an initiative with several
        rated rows": rows 1-3 for the badge (on equal orders the first such
        row's), and the words beside it, on the initiative page and in the
        department lists."""
        dept_rows = self.department_rows()
        for path, prefix, pid, year in self.datasets():
            if year is not None:
                continue
            plan = json.load(open(path, encoding="utf-8"))
            ry = plan["reporting_year"]
            for sc in plan["scales"]:
                if sc["applies_to"] != "schedule":
                    continue
                values = {v["key"]: v for v in sc["values"]}
                least = sc.get("rollup", "least_advanced") != "most_advanced"
                for ini in plan["initiatives"]:
                    rows = ini.get("schedule") or []
                    if not rows or (ini.get("ended_after") is not None and ini["ended_after"] < ry):
                        continue
                    sts = [(r.get("status") or {}).get(str(ry)) for r in rows]
                    sts = [x if x in values else None for x in sts]
                    given = [x for x in sts if x is not None]
                    if not given:
                        badge, row = None, 1
                    else:
                        live = [x for x in given if values[x]["tone"] != "neutral"]
                        pool, row = (live, 2) if live else (given, 3)
                        best = (min if least else max)(values[x]["order"] for x in pool)
                        badge = next(x for x in pool if values[x]["order"] == best)
                    self.cover_rollup(row)
                    for lang in ("ja", "en"):
                        want_label, want_words = self.rollup_expected(lang, values, least, sts, badge)
                        page = self.page(lang, f"{prefix}{ini['id']}/index.html")
                        if os.path.exists(page):
                            cur = dom(page).find("p", "current-status")
                            if cur is not None:
                                self.compare_rollup(os.path.relpath(page, self.public), cur, want_label, want_words, row)
                        for where, li in dept_rows.get((lang, pid, ini["id"]), []):
                            self.compare_rollup(where, li, want_label, want_words, row)

    def rollup_expected(self, lang, values, least, sts, badge):
        def lab(key):
            if key is None:
                return "未報告" if lang == "ja" else "Not reported"
            return values[key]["label"].get(lang) or values[key]["label"]["ja"]

        if len(sts) < 2 or len(set(sts)) == 1 or badge is None:
            return (lab(badge) if badge else None), None
        counts = {}
        for x in sts:
            counts[x] = counts.get(x, 0) + 1
        seen = list(dict.fromkeys(sts))  # first appearance, for equal orders
        rest = [x for x in seen if x is not None and x != badge]
        key = (lambda x: (values[x]["order"], seen.index(x))) if least else (lambda x: (-values[x]["order"], seen.index(x)))
        live = sorted((x for x in rest if values[x]["tone"] != "neutral"), key=key)
        neutral = sorted((x for x in rest if values[x]["tone"] == "neutral"), key=key)
        order = [badge] + live + neutral + ([None] if None in counts else [])
        if lang == "ja":
            word = "最も進んでいないもの" if least else "最も進んでいるもの"
            words = f"（{len(sts)}件の計画のうち{word}：" + "・".join(f"{lab(x)}{counts[x]}" for x in order) + "）"
        else:
            word = "the least advanced" if least else "the most advanced"
            words = f"({word} of {len(sts)} plans: " + ", ".join(f"{lab(x)} {counts[x]}" for x in order) + ")"
        return lab(badge), words

    def compare_rollup(self, where, node, want_label, want_words, row):
        ref = f"rollup row {row}"
        b = node.find("span", "badge-label")
        got = b.text() if b else None
        self.rollup_checked += 1
        unreported = {None, "未報告", "Not reported"}
        if not (got == want_label or (want_label is None and got in unreported)):
            self.disagree(where, f"badge {got or 'none'}", want_label or "none (not reported)", ref)
        why = node.find("span", "rollup-why")
        got_words = why.text() if why is not None else None
        if got_words != want_words:
            self.disagree(where, f"the words {got_words!r}", f"{want_words!r}" if want_words else "none (one row, or all rows alike)", ref)

    def department_rows(self):
        """Every initiative row of the department pages: (lang, plan, id) →
        [(page, li)]."""
        out = {}
        for lang in ("ja", "en"):
            base = self.page(lang, "departments")
            for dirpath, _dirs, files in os.walk(base):
                if "index.html" not in files:
                    continue
                path = os.path.join(dirpath, "index.html")
                rel_page = os.path.relpath(path, self.public).replace(os.sep, "/")
                for li in dom(path).find_all("li", "initiative-row"):
                    a = li.find("a", "initiative-title")
                    if a is None:
                        continue
                    target = resolve(rel_page, a.attrs.get("href", "")).rstrip("/")
                    if lang == "en" and target.startswith("en/"):
                        target = target[3:]
                    parts = target.split("/")
                    if len(parts) == 2:
                        out.setdefault((lang, parts[0], parts[1]), []).append((rel_page, li))
        return out

    def cover_rollup(self, row):
        self.change_rows[f"rollup {row}"] = self.change_rows.get(f"rollup {row}", 0) + 1

    # -- the date notice and the feeds ----------------------------------

    def check_notices_and_feeds(self):
        site = json.load(open(os.path.join(self.public, "data", "site.json"), encoding="utf-8"))
        munis = {m["id"]: m["name"] for m in site["municipalities"]}
        site_entries = []
        for path, prefix, pid, year in self.datasets():
            if year is not None:
                continue
            plan = json.load(open(path, encoding="utf-8"))
            self.check_notice(prefix, pid, plan)
            entries = []
            reports = [plan] + [json.load(open(rp, encoding="utf-8")) for rp, _, p2, y2 in self.datasets() if p2 == pid and y2]
            for rep in reports:
                date = feed_date(rep.get("published"))
                pub = rep.get("published") or ""
                kind = "a day" if len(pub) == 10 else "a month" if len(pub) == 7 else "none"
                self.feed_rows[kind] = self.feed_rows.get(kind, 0) + 1
                if date is None:
                    continue  # left out of the feeds
                Y = min(rep["reporting_year"], rep["last_year"])
                m = munis.get(rep["municipality"], {"ja": rep["municipality"]})
                short = rep.get("short_title") or rep["title"]
                entries.append({
                    "summary": (len(rep["initiatives"]), prefix) if rep is plan else None,
                    "date": date,
                    "ja": f"{m['ja']} {short['ja']}：{fy_full(Y)}の報告",
                    "en": f"{m.get('en') or m['ja']} {short.get('en') or short['ja']}: the FY{Y} report",
                })
            site_entries += entries
            for lang in ("ja", "en"):
                feed = self.page(lang, prefix + "feed.xml")
                want_title = f"{munis.get(plan['municipality'], {}).get('ja', plan['municipality'])} {plan['title']['ja']} — {site['title']['ja']}" if lang == "ja" else None
                self.compare_feed(lang, feed, entries, want_title)
        for lang in ("ja", "en"):
            self.compare_feed(lang, self.page(lang, "feed.xml"), site_entries, None)

    def compare_feed(self, lang, feed, entries, want_title):
        import xml.etree.ElementTree as ET
        where = os.path.relpath(feed, self.public)
        if not os.path.exists(feed):
            self.disagree(where, "no feed", f"a feed of {len(entries)} entries", "feed dates")
            return
        ns = {"a": "http://www.w3.org/2005/Atom"}
        root = ET.parse(feed).getroot()
        if want_title is not None:
            t = root.findtext("a:title", default="", namespaces=ns)
            if t != want_title:
                self.disagree(where, f"title {t!r}", f"{want_title!r}", "feed titles")
        got = [(e.findtext("a:updated", default="", namespaces=ns), e.findtext("a:title", default="", namespaces=ns))
               for e in root.findall("a:entry", ns)]
        want = sorted(((f"{e['date']}T00:00:00+09:00", e[lang]) for e in entries), key=lambda x: x[0], reverse=True)
        self.feed_entries += len(want)
        if sorted(got) != sorted(want):
            for g in sorted(set(got) - set(want)):
                self.disagree(where, f"entry {g[1]!r} dated {g[0]}", "no such entry", "feed dates")
            for w in sorted(set(want) - set(got)):
                self.disagree(where, f"no entry {w[1]!r} dated {w[0]}", "one", "feed dates")
        for e in root.findall("a:entry", ns):
            title = e.findtext("a:title", default="", namespaces=ns)
            summary = e.findtext("a:summary", default="", namespaces=ns)
            for w in entries:
                if w[lang] != title or not w.get("summary"):
                    continue
                n, prefix = w["summary"]
                parts = self.summary_expect.get((prefix, lang))
                got_parts = [x.strip() for x in re.split(r"、" if lang == "ja" else r", (?=\d|[A-Z×△○◎])", summary)]
                first = f"取組{n}件" if lang == "ja" else (f"{n} initiative" if n == 1 else f"{n} initiatives")
                self.feed_entries += 1
                if not got_parts or got_parts[0] != first:
                    self.disagree(where, f"summary starting {got_parts[0] if got_parts else ''!r}", f"{first!r}", "feed summary")
                if parts is None:
                    continue
                body = summary
                for ja, en in parts:
                    if lang == "ja":
                        at = body.find(ja)
                        ok = at >= 0
                    else:
                        mm = re.search(en, body)
                        ok, at = bool(mm), (mm.start() if mm else -1)
                    if not ok:
                        self.disagree(where, f"summary {summary!r}", f"the changes page's part {ja!r}", "feed summary")
                        break
                    body = body[at:]
        dates = [g[0] for g in got]
        if dates != sorted(dates, reverse=True):
            self.disagree(where, "entries out of order", "newest first", "feed dates")
        upd = root.findtext("a:updated", default="", namespaces=ns)
        want_upd = want[0][0] if want else "2000-01-01T00:00:00+09:00"
        if upd != want_upd:
            self.disagree(where, f"updated {upd}", want_upd, "feed dates")

    def check_notice(self, prefix, pid, plan):
        Y = plan["reporting_year"]
        pub = plan.get("published")
        tail = f"、{published_ja(pub)}公表の報告書による" if pub else ""
        want = f"掲載している結果は{fy_full(Y)}分までです（計画期間：{fy_full(plan['first_year'])}～{fy_full(plan['last_year'])}{tail}）。"
        for lang in ("ja", "en"):
            places = [(self.page(lang, prefix + "index.html"), None), (self.page(lang, "index.html"), pid)]
            for place, card in places:
                if not os.path.exists(place):
                    continue
                root = dom(place)
                scope = root
                if card:
                    scope = None
                    rel_place = os.path.relpath(place, self.public).replace(os.sep, "/")
                    for li in root.find_all("li", "plan-card"):
                        h = li.find("h3")
                        a = h.find("a") if h else None
                        if a is not None and resolve(rel_place, a.attrs.get("href", "")).rstrip("/").split("/")[-1] == pid:
                            scope = li
                    if scope is None:
                        continue
                texts = [n.text() for n in scope.find_all(cls="notice")]
                where = os.path.relpath(place, self.public)
                self.headline_counts += 1
                if lang == "ja":
                    if not any(want in t for t in texts):
                        self.disagree(where, f"the date notice {' / '.join(texts) or 'none'!r}", f"{want!r}", "date notice")
                else:
                    ok = any(f"FY{Y}" in t and f"FY{plan['first_year']}" in t and f"FY{plan['last_year']}" in t
                             and ((pub[:4] in t) if pub else "published" not in t) for t in texts)
                    if not ok:
                        self.disagree(where, f"the date notice {' / '.join(texts) or 'none'!r}",
                                      f"FY{Y}, the plan period FY{plan['first_year']} to FY{plan['last_year']}"
                                      + (f", published {pub}" if pub else ", no publication date"), "date notice")
                for t in texts:
                    if re.search(r"\d+年度前|years? ago|years? old", t):
                        self.disagree(where, f"the date notice {t!r}", "nothing counted from the build date", "date notice")

    def cover(self, what):
        """Counts a row of the changes table that some item went through (per
        language page: each page is checked by itself)."""
        self.change_rows[what] = self.change_rows.get(what, 0) + 1

    # -- run -------------------------------------------------------------

    def run(self):
        self.check_indicators()
        self.check_lists()
        self.check_changes()
        self.check_scale_headlines()
        self.check_rollups()
        self.check_notices_and_feeds()
        for line in self.disagreements:
            print(line)
        covered = " ".join(f"{r}:{n}" for r, n in sorted(self.rows.items()))
        print(f"rows covered: {covered}")
        print("changes rows covered: " + ", ".join(f"{r}: {n}" for r, n in sorted(self.change_rows.items())))
        print(f"pages checked: indicator pages {self.pages_checked}, list rows {self.list_badges}, "
              f"initiative badges {self.rollup_checked}, feed entries {self.feed_entries}")
        print("feed dates covered: " + ", ".join(f"{k}: {n}" for k, n in sorted(self.feed_rows.items())))
        print(
            f"indicators checked: {self.indicators}, headline counts: {self.headline_counts}, "
            f"changes entries: {self.changes_entries}, disagreements: {len(self.disagreements)}"
        )
        return 1 if self.disagreements else 0


def initiative_status(ini, y):
    """An initiative's status in year y (changes table, items): years[y].status,
    or else that of the first later year's entry whose `from` ≤ y."""
    entries = sorted(ini.get("years") or [], key=lambda e: e["year"])
    for e in entries:
        if e["year"] == y and e.get("status"):
            return e["status"]
    for e in entries:
        if e["year"] > y and e.get("from") is not None and e["from"] <= y and e.get("status"):
            return e["status"]
    return None


def status_at_end(ind, k, y):
    """The indicator table's status at the end of year y: from the values
    reported by then, the editor's override only where no later value exists."""
    later = any(o["year"] > y for o in ind["observations"])
    return decide(ind, k, values_until=y, use_override=not later)


def changes_pages(first):
    """The changes page and its numbered continuations, in order."""
    out = [first]
    base = os.path.dirname(first)
    n = 2
    while os.path.exists(os.path.join(base, "page", str(n), "index.html")):
        out.append(os.path.join(base, "page", str(n), "index.html"))
        n += 1
    return out


def is_indicator_part(s):
    return bool(re.search(r"指標|indicator|目標の変更|targets? changed", s))


def fy_ja(y):
    if y >= 2019:
        n = y - 2018
        return f"令和{'元' if n == 1 else n}年度"
    if y >= 1989:
        n = y - 1988
        return f"平成{'元' if n == 1 else n}年度"
    return f"昭和{y - 1925}年度"


def feed_date(published):
    """The feed date table: YYYY-MM-DD that day; YYYY-MM the last day of the
    month; none: left out."""
    if not published:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", published)
    if m:
        return published
    m = re.fullmatch(r"(\d{4})-(\d{2})", published)
    if m:
        import calendar
        y, mo = int(m.group(1)), int(m.group(2))
        return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
    return None


def published_ja(published):
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", published or "")
    if not m:
        return published
    out = f"{int(m.group(1))}年{int(m.group(2))}月"
    return out + (f"{int(m.group(3))}日" if m.group(3) else "")


def fy_full(y):
    return f"{fy_ja(y)}（{y}年度）"


def minimal_front(text):
    """Without tomllib (python < 3.11): the two keys the oracle reads from a
    plan, `[indicators] on_track` and each scale's `key` and `across_years`."""
    front = {"indicators": {}, "scales": []}
    table = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            table = line.strip("[]").strip()
            if line.startswith("[[") and table == "scales":
                front["scales"].append({})
            continue
        m = re.match(r'([A-Za-z_]+)\s*=\s*"?([^"]*)"?$', line)
        if not m:
            continue
        key, val = m.group(1), m.group(2).strip()
        if table == "indicators" and key == "on_track":
            front["indicators"]["on_track"] = float(val)
        elif table == "scales" and key in ("key", "across_years"):
            front["scales"][-1][key] = val
    return front


def resolve(page_rel, href):
    """The site-relative path an href on the page `page_rel` points to."""
    href = href.split("#")[0].split("?")[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), href))
    if href.endswith("/"):
        joined += "/"
    return joined.lstrip("./") if joined.startswith("./") else joined


def pct_matches(shown, frac):
    """A percentage as shown matches the fraction when it is that fraction
    ×100 rounded either way to the shown precision (the table does not say
    how a percentage is rounded)."""
    x = frac * 100
    return math.floor(x + 1e-9) <= shown + 1e-9 and shown - 1e-9 <= math.ceil(x - 1e-9) or close(shown, x)


def pct_str(frac):
    return f"{fmt_num(frac * 100)}%"


def fmt_num(x):
    return f"{x:.1f}".rstrip("0").rstrip(".")


def main(argv):
    args = argv[1:]
    content = None
    if "--content" in args:
        i = args.index("--content")
        if i + 1 >= len(args):
            print("usage: oracle.py PUBLIC_DIR [--content ROOT]", file=sys.stderr)
            return 2
        content = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or not os.path.isdir(os.path.join(args[0], "data")):
        print("usage: oracle.py PUBLIC_DIR [--content ROOT]  (PUBLIC_DIR holds data/)", file=sys.stderr)
        return 2
    return Oracle(args[0], content).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

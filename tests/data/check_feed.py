#!/usr/bin/env python3
"""Checks an Atom feed against the MUST rules of RFC 4287 that a feed
validator applies: well-formed XML in the Atom namespace; the feed has
exactly one id, title and updated, an author, and a rel="self" link; every
entry has exactly one id, title and updated, an alternate link, and a
summary; ids are absolute IRIs; dates are RFC 3339; ids of entries are
unique. Prints the feed's language and entry count; exits 1 on a problem.

    python3 tests/data/check_feed.py FEED.xml
"""
import re, sys
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
problems = []
root = ET.parse(sys.argv[1]).getroot()
if root.tag != A + "feed":
    problems.append(f"root is {root.tag}, not atom:feed")

def one(el, name, where):
    found = el.findall(A + name)
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} atom:{name}, must be 1")
        return None
    return found[0]

def check_id(el, where):
    i = one(el, "id", where)
    if i is not None and not re.match(r"^[a-z][a-z0-9+.-]*:", i.text or ""):
        problems.append(f"{where}: id {i.text!r} is not an absolute IRI")
    return i.text if i is not None else None

def check_date(el, where):
    u = one(el, "updated", where)
    if u is not None and not DATE.match(u.text or ""):
        problems.append(f"{where}: updated {u.text!r} is not an RFC 3339 date")

check_id(root, "feed")
one(root, "title", "feed")
check_date(root, "feed")
if not root.findall(A + "author") and not all(e.findall(A + "author") for e in root.findall(A + "entry")):
    problems.append("feed: no atom:author (on the feed or on every entry)")
if not any(l.get("rel") == "self" for l in root.findall(A + "link")):
    problems.append("feed: no rel=\"self\" link")
ids = []
for n, e in enumerate(root.findall(A + "entry"), 1):
    where = f"entry {n}"
    ids.append(check_id(e, where))
    one(e, "title", where)
    check_date(e, where)
    if not any(l.get("rel", "alternate") == "alternate" for l in e.findall(A + "link")) and e.find(A + "content") is None:
        problems.append(f"{where}: no alternate link and no content")
    if e.find(A + "summary") is None and e.find(A + "content") is None:
        problems.append(f"{where}: no summary")
if len(set(ids)) != len(ids):
    problems.append("entries share an id")
for p in problems:
    print(p)
print(f"lang {root.get(XML_LANG)}, {len(ids)} entries: {len(problems)} problem(s)")
sys.exit(1 if problems or not ids else 0)

#!/usr/bin/env python3
"""Validates a built site's sitemap.xml (a urlset, or an index and its
parts) against the sitemaps.org 0.9 XML Schema (tests/data/sitemap.xsd, with
the XHTML <link> alternates), and checks that robots.txt names it. Prints
the number of addresses; exits 1 on any problem.

    python3 tests/data/validate_sitemap.py OUT_DIR BASE_URL
"""
import os, sys
import xml.etree.ElementTree as ET

try:
    import xmlschema
except ImportError:
    sys.exit("missing xmlschema: python3 -m pip install xmlschema")

out, base = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
schema = xmlschema.XMLSchema(os.path.join(here, "sitemap.xsd"))
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
problems = []

def validate(path):
    for err in schema.iter_errors(path):
        problems.append(f"{os.path.relpath(path, out)}: {err.reason} at {err.path}")
    return ET.parse(path).getroot()

root = validate(os.path.join(out, "sitemap.xml"))
files = []
if root.tag.endswith("sitemapindex"):
    for loc in root.findall("s:sitemap/s:loc", ns):
        name = loc.text[len(base):]
        files.append(validate(os.path.join(out, name)))
else:
    files.append(root)
urls = [u for f in files for u in f.findall("s:url/s:loc", ns)]
for u in urls:
    if not u.text.startswith(base):
        problems.append(f"{u.text} is not under {base}")
robots = open(os.path.join(out, "robots.txt"), encoding="utf-8").read()
if f"Sitemap: {base}sitemap.xml" not in robots:
    problems.append("robots.txt does not name the sitemap")
for p in problems[:30]:
    print(p)
print(f"{len(urls)} addresses: {len(problems)} problem(s)")
sys.exit(1 if problems or not urls else 0)

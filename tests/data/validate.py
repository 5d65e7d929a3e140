#!/usr/bin/env python3
"""Validates a built site's open data with the standard tools: the
Frictionless validator on data/datapackage.json (every CSV against its
declared fields and types), and a JSON Schema (2020-12) validator on
data/site.json, every data/<plan>/plan.json and every initiative record
(of the plans and of their past reports)
against data/schema.json. Prints each problem; exits 1 if there is any.

    python3 tests/data/validate.py OUT_DIR
"""
import glob, json, os, sys

try:
    import frictionless
    import jsonschema
    from referencing import Registry, Resource
except ImportError as e:
    sys.exit(f"missing {e.name}: python3 -m pip install frictionless jsonschema")

out = sys.argv[1]
data = os.path.join(out, "data")
problems = []

report = frictionless.validate(os.path.join(data, "datapackage.json"))
tables = 0
for task in report.tasks:
    tables += 1
    for err in task.errors:
        problems.append(f"{task.name}: {err.message}")
for err in report.errors:
    problems.append(f"datapackage.json: {err.message}")

schema = json.load(open(os.path.join(data, "schema.json"), encoding="utf-8"))
sid = schema["$id"]
registry = Registry().with_resource(sid, Resource.from_contents(schema))
checked = 0

def check(path, ref):
    global checked
    doc = json.load(open(path, encoding="utf-8"))
    v = jsonschema.Draft202012Validator({"$ref": sid + ref}, registry=registry)
    for err in v.iter_errors(doc):
        where = "/".join(str(p) for p in err.absolute_path)
        problems.append(f"{os.path.relpath(path, out)} at /{where}: {err.message}")
    checked += 1

check(os.path.join(data, "site.json"), "")
# The plans' files, and those of their past reports (data/<plan>/reports/<year>/).
for p in sorted(glob.glob(os.path.join(data, "**", "plan.json"), recursive=True)):
    check(p, "#/$defs/plan")
for p in sorted(glob.glob(os.path.join(data, "**", "initiatives", "*.json"), recursive=True)):
    check(p, "#/$defs/initiative")

for p in problems[:50]:
    print(p)
print(f"{tables} tables, {checked} JSON files checked: {len(problems)} problem(s)")
sys.exit(1 if problems or tables == 0 or checked < 2 else 0)

#!/usr/bin/env python3
"""Writes the sheets of issue 26 item 7 into a folder, for measuring
`mieruka import` on them (peak RSS and time: /usr/bin/time -v):

  sst_bomb.xlsx    ~1 MB on disk; xl/sharedStrings.xml holds one string of
                   1 GiB (declared honestly in the zip)
  ws_bomb.xlsx     ~2 MB on disk; xl/worksheets/sheet1.xml holds 2 GiB of
                   whitespace inside one row
  map.toml         a mapping for the test fixture's plan (columns A..H)

Usage: import_bombs.py OUT_DIR
"""
import os
import sys
import zipfile
import zlib

CT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WB_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="H2" t="s"><v>1</v></c></row></sheetData></worksheet>"""
SST = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>t-002</t></si><si><t>\xe2\x97\x8b</t></si></sst>"""

MAP = """plan = "plan1"
first_row = 2
[columns]
id = "A"
code = "D"
title = "E"
departments = "F"
[[sections]]
code = "B"
title = "C"
[[years]]
year = "R5"
schedule_plan = "G"
schedule_status = "H"
"""


def write_part(z, name, head, fill, size, tail):
    """A part of head + size bytes of fill + tail, written as it is made."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as f:
        f.write(head)
        chunk = fill * (1 << 20)
        left = size
        while left > 0:
            n = min(left, len(chunk))
            f.write(chunk[:n])
            left -= n
        f.write(tail)


def book(path, big_part, head, fill, size, tail):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        parts = {
            "[Content_Types].xml": CT,
            "_rels/.rels": RELS,
            "xl/workbook.xml": WB,
            "xl/_rels/workbook.xml.rels": WB_RELS,
            "xl/worksheets/sheet1.xml": SHEET,
            "xl/sharedStrings.xml": SST,
        }
        for name, data in parts.items():
            if name == big_part:
                write_part(z, name, head, fill, size, tail)
            else:
                z.writestr(name, data)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    book(
        os.path.join(out, "sst_bomb.xlsx"),
        "xl/sharedStrings.xml",
        SST.split(b"\xe2\x97\x8b")[0],
        b"a",
        1 << 30,
        b"</t></si></sst>",
    )
    head, tail = SHEET.split(b'<c r="H2"')
    book(
        os.path.join(out, "ws_bomb.xlsx"),
        "xl/worksheets/sheet1.xml",
        head,
        b" ",
        2 << 30,
        b'<c r="H2"' + tail,
    )
    with open(os.path.join(out, "map.toml"), "w") as f:
        f.write(MAP)
    for name in ("sst_bomb.xlsx", "ws_bomb.xlsx"):
        p = os.path.join(out, name)
        print(f"{p}: {os.path.getsize(p)} bytes")


if __name__ == "__main__":
    main()

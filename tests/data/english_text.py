#!/usr/bin/env python3
"""Every English page of a built site: no Japanese punctuation (、。「」) in
text that is not marked lang="ja", and no "1 <plural>" in generated counts.

  english_text.py PUBLIC_DIR   → one line per finding, exit 1 if any
"""
import os
import re
import sys
from html.parser import HTMLParser

VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "col", "area", "base", "embed", "param", "track"}
PLURAL_AFTER_ONE = re.compile(r"(?<![\d.,])1 (targets|initiatives|indicators|items|pages|rows|documents|plans|years|programmes|entries|changes)\b")


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, None if lang is None else lang.startswith("ja")))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def japanese_here(self):
        for _, ja in reversed(self.stack):
            if ja is not None:
                return ja
        return False

    def handle_data(self, data):
        if any(t in ("script", "style") for t, _ in self.stack) or self.japanese_here():
            return
        text = " ".join(data.split())
        if re.search("[、。「」]", text):
            self.found.append(f"Japanese punctuation: {text[:100]!r}")
        m = PLURAL_AFTER_ONE.search(text)
        if m:
            self.found.append(f"plural after 1: {text[:100]!r}")


def main(root):
    findings = 0
    pages = 0
    for folder, _, files in os.walk(os.path.join(root, "en")):
        for f in files:
            if not f.endswith(".html"):
                continue
            path = os.path.join(folder, f)
            page = Page()
            with open(path, encoding="utf-8") as fh:
                page.feed(fh.read())
            pages += 1
            for what in page.found:
                findings += 1
                print(f"{os.path.relpath(path, root)}: {what}")
    print(f"English pages checked: {pages}, findings: {findings}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

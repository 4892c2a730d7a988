"""The runnable files of a docs page: each fenced block right after a `<!-- file: NAME -->` line."""

import os
import re

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "docs")
_FILE = re.compile(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)\n```", re.S)


def doc_files(page):
    with open(os.path.join(DOCS, page), encoding="utf-8") as f:
        return dict(_FILE.findall(f.read()))

#!/usr/bin/env python3
"""Fail when the zh_Hans catalog is stale, has an untranslated or fuzzy entry, or its .mo is old.

Runs `makemessages` (which rewrites the .po in place), compares the result with what was there,
restores the original, and checks that every msgstr is filled. So a user never meets an English
string. Fix with `make messages`, then translate the new entries.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FX = ROOT / ".venv" / "bin" / "fangxian"
MAKEMESSAGES = [
    str(FX),
    "manage",
    "makemessages",
    "-l",
    "zh_Hans",
    "--no-obsolete",
    "--no-location",
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=var",
    "--ignore=static",
]


def _without_dates(text: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", text)


def parse_po(text: str) -> list[dict]:
    """Entries as {"flags": str, "msgid": str, "msgstr": [str, ...]}: enough for the checks here."""
    entries, entry, field = [], None, None
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": "", "msgid": "", "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgid_plural ")):
            field = "msgid"
            entry["msgid"] += (
                line.split(" ", 1)[1].strip()[1:-1] if line.startswith("msgid ") else ""
            )
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(line.split(" ", 1)[1].strip()[1:-1])
        elif line.startswith('"') and field == "msgid":
            entry["msgid"] += line[1:-1]
        elif line.startswith('"') and field == "msgstr":
            entry["msgstr"][-1] += line[1:-1]
    return entries


def untranslated(text: str) -> list[str]:
    """msgids whose msgstr is empty or marked fuzzy (the header entry excepted)."""
    return [
        entry["msgid"]
        for entry in parse_po(text)
        if entry["msgid"] and ("fuzzy" in entry["flags"] or not all(entry["msgstr"]))
    ]


def main() -> int:
    if not PO.exists():
        print(f"missing catalog {PO}; run 'make messages'")
        return 1
    original = PO.read_text(encoding="utf-8")
    failures = []
    try:
        subprocess.run(MAKEMESSAGES, cwd=ROOT, check=True, capture_output=True)
        regenerated = PO.read_text(encoding="utf-8")
    finally:
        PO.write_text(original, encoding="utf-8")
    if _without_dates(regenerated) != _without_dates(original):
        failures.append("the catalog is stale: run 'make messages' and translate the new entries")
    missing = untranslated(original)
    if missing:
        failures.append("untranslated or fuzzy entries:\n  " + "\n  ".join(missing[:40]))
    with tempfile.TemporaryDirectory() as tmp:
        compiled = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
        if not MO.exists() or compiled.read_bytes() != MO.read_bytes():
            failures.append("django.mo is older than django.po: run 'make messages'")
    for failure in failures:
        print(f"check_messages: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    if shutil.which("msgfmt") is None:
        print("check_messages: msgfmt not found (Debian package gettext)")
        sys.exit(1)
    sys.exit(main())

"""Every error code the pure modules raise has a sentence, and its placeholders are filled."""

import ast
import re
from pathlib import Path

import pytest

from fangxian.imports import messages
from fangxian.imports.cells import CellError, id_number_cell
from fangxian.imports.reading import ReadError

PACKAGE = Path(messages.__file__).parent
CATALOGS = {
    "ReadError": messages.READ_MESSAGES,
    "HeaderError": messages.HEADER_MESSAGES,
    "CellError": messages.CELL_MESSAGES,
}


def raised_codes() -> dict[tuple[str, str], set[str]]:
    """(error class, code) → the keyword parameters passed where it is raised."""
    found: dict[tuple[str, str], set[str]] = {}
    for module in ("reading.py", "headers.py", "cells.py"):
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in CATALOGS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                params = {keyword.arg for keyword in node.keywords if keyword.arg}
                found.setdefault((node.func.id, node.args[0].value), set()).update(params)
    return found


RAISED = raised_codes()


@pytest.mark.parametrize(("error_class", "code"), sorted(RAISED))
def test_every_raised_code_has_a_message_with_its_placeholders(error_class, code):
    template = str(CATALOGS[error_class][code])
    placeholders = set(re.findall(r"%\((\w+)\)s", template))
    assert placeholders <= RAISED[error_class, code]
    assert template % dict.fromkeys(RAISED[error_class, code], "x")


def test_no_message_waits_for_a_code_nobody_raises():
    for error_class, catalog in CATALOGS.items():
        assert {code for cls, code in RAISED if cls == error_class} == set(catalog)


def test_error_message_fills_in_the_parameters():
    with pytest.raises(CellError) as caught:
        id_number_cell(530113199001010115.0)
    assert "5.30113E+17" in messages.message_for(caught.value)
    assert "gb18030" in messages.message_for(ReadError("encoding", tried="utf-8, gb18030"))

"""STYLE §4: views and APIs reach people-app rows through the scoped selectors, never through
a model manager (`Person.objects`, `Household.objects`, ...) that ignores the user's scope."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

import fangxian

PACKAGE_DIR = Path(fangxian.__file__).resolve().parent
PEOPLE_MODELS_MODULE = "fangxian.people.models"
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def view_modules() -> list[Path]:
    """views.py, views/*.py and api.py of every app under fangxian/."""
    found = set(PACKAGE_DIR.rglob("views.py")) | set(PACKAGE_DIR.rglob("api.py"))
    found |= {p for p in PACKAGE_DIR.rglob("views/*.py")}
    return sorted(p for p in found if "tests" not in p.relative_to(PACKAGE_DIR).parts)


def people_model_names() -> set[str]:
    return {model.__name__ for model in apps.get_app_config("people").get_models()}


def unscoped_reads(source: str, model_names: set[str]) -> list[str]:
    """`<people model>.objects` (or another manager) in `source`, by line: through a direct or
    aliased import of the model, or through an alias of the people.models module."""
    tree = ast.parse(source)
    model_aliases: set[str] = set()
    module_aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == PEOPLE_MODELS_MODULE:
            model_aliases |= {a.asname or a.name for a in node.names if a.name in model_names}
        elif isinstance(node, ast.ImportFrom) and node.module == "fangxian.people":
            module_aliases |= {a.asname or a.name for a in node.names if a.name == "models"}
        elif isinstance(node, ast.Import):
            module_aliases |= {
                a.asname or a.name for a in node.names if a.name == PEOPLE_MODELS_MODULE
            }
    model_aliases |= model_names  # a bare name is suspicious however it got there
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in model_aliases:
            found.append(f"line {node.lineno}: {owner.id}.{node.attr}")
        elif (
            isinstance(owner, ast.Attribute)
            and owner.attr in model_names
            and ast.unparse(owner.value) in module_aliases
        ):
            found.append(f"line {node.lineno}: {ast.unparse(owner)}.{node.attr}")
    return found


def test_the_scan_covers_the_view_and_api_modules():
    names = {str(p.relative_to(PACKAGE_DIR)) for p in view_modules()}
    assert {
        "accounts/views.py",
        "audit/views.py",
        "people/api.py",
        "people/views/persons.py",
        "people/views/households.py",
        "people/views/regions.py",
    } <= names


def test_the_people_app_has_the_models_the_lint_guards():
    assert {"Person", "Household"} <= people_model_names()


@pytest.mark.parametrize(
    "source",
    [
        "from fangxian.people.models import Person\nPerson.objects.all()",
        "from fangxian.people.models import Household as H\nH.objects.get(pk=1)",
        "from fangxian.people import models\nmodels.Person.objects.filter()",
        "import fangxian.people.models as pm\npm.Household._default_manager.all()",
        "def f(Person):\n    return Person._base_manager.count()",
    ],
)
def test_the_lint_catches_an_unscoped_read(source):
    assert unscoped_reads(source, {"Person", "Household"}) != []


@pytest.mark.parametrize(
    "source",
    [
        "from fangxian.people import selectors\nselectors.person_list(user=u)",
        "from fangxian.regions.models import Region\nRegion.objects.filter(code=c)",
        "from fangxian.accounts.models import RoleAssignment\nRoleAssignment.objects.all()",
        "household.members.all()",
    ],
)
def test_the_lint_lets_scoped_and_other_reads_pass(source):
    assert unscoped_reads(source, {"Person", "Household"}) == []


def test_views_and_apis_do_not_read_people_models_directly():
    models = people_model_names()
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): found
        for path in view_modules()
        if (found := unscoped_reads(path.read_text(encoding="utf-8"), models))
    }
    assert offenders == {}, "use people.selectors (scoped) instead of model managers"

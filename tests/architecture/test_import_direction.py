"""Dependencies point one way (CONVENTIONS.md, "The house"): `scrm` <- `authors` <- `mentions`
<- `knowledge_base` <- `responses`; `profiles`, `analytics`, `integrations` and `demo` read from
all of them and nothing imports them. This walks the imports of every module of every app,
function-level imports included, and fails on one that points the wrong way."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The rank of each app: an app may import only apps of a lower rank (and itself).
LAYERS = {
    "scrm": 0,
    "authors": 1,
    "mentions": 2,
    "knowledge_base": 3,
    "responses": 4,
}
TOP = ("profiles", "analytics", "integrations", "demo")  # import everything; nothing imports them
APPS = (*LAYERS, *TOP)


def _modules():
    for app in APPS:
        folder = ROOT / app
        if folder.is_dir():
            yield from sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                found.add((top, node.lineno))
    return found


def _allowed(importer: str, imported: str) -> bool:
    if importer == imported:
        return True
    if imported in TOP:
        return False
    if importer in TOP:
        return True
    return LAYERS[imported] < LAYERS[importer]


def test_the_walk_sees_every_app():
    modules = list(_modules())

    assert {p.relative_to(ROOT).parts[0] for p in modules} >= {"scrm", "authors", "mentions"}
    assert len(modules) > 50


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_an_app_above_its_own(path):
    importer = path.relative_to(ROOT).parts[0]

    wrong = sorted(
        f"line {line}: imports {imported}"
        for imported, line in _imported_apps(path)
        if not _allowed(importer, imported)
    )

    assert wrong == []


def test_the_rule_itself():
    assert _allowed("mentions", "authors")
    assert not _allowed("authors", "mentions")
    assert not _allowed("mentions", "profiles")
    assert _allowed("profiles", "mentions")
    assert not _allowed("profiles", "demo")
    assert not _allowed("scrm", "authors")

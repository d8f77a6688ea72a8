"""`.env.example` lists every setting the code reads from the environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""\benv(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")
LISTED = re.compile(r"^([A-Z][A-Z0-9_]+)=", re.M)
CODE = (
    "scrm",
    "authors",
    "mentions",
    "knowledge_base",
    "responses",
    "analytics",
    "profiles",
    "demo",
)


def _code_files():
    for folder in CODE:
        yield from (ROOT / folder).rglob("*.py")


def _read_by_code() -> set[str]:
    names = set()
    for path in _code_files():
        names |= set(READ.findall(path.read_text()))
    return names


def test_env_example_lists_every_setting_the_code_reads():
    listed = set(LISTED.findall((ROOT / ".env.example").read_text()))
    read = _read_by_code()

    assert read - listed == set()
    assert {"DATABASE_URL", "SCRM_CLAIM_LEASE_SECONDS", "SCRM_EMBEDDER"} <= read


def test_no_module_reads_the_environment_behind_the_settings():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _code_files()
        if path.name not in ("settings.py", "manage.py", "celery.py", "wsgi.py", "asgi.py")
        # the development server's own RUN_MAIN flag: which of runserver's processes this is
        and str(path.relative_to(ROOT)) != "scrm/apps.py"
        and re.search(r"os\.environ|os\.getenv", path.read_text())
    ]

    assert offenders == []

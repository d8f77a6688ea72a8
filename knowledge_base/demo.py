"""Loads the demo knowledge base (`knowledge_base.demo_articles`): safe to rerun."""

from knowledge_base.demo_articles import ARTICLES
from knowledge_base.importing import ImportResult, articles_import


def demo_articles_load() -> ImportResult:
    """Publish the demo articles (the demo subjects must exist: `mentions` demo load first)."""
    rows = [
        {"external_id": f"demo-{a['key']}", **{k: v for k, v in a.items() if k != "key"}}
        for a in ARTICLES
    ]
    return articles_import(rows=rows, publish=True)

"""The README and docs/ stand on their own: a clone has everything they point to, and they
name every setting and every API address the code has."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_link_points_into_the_repository(doc):
    text = doc.read_text()
    assert "../" not in text, f"{doc.name} points outside the repository"
    for target in re.findall(r"\]\(([^)#]+)", text):
        if not re.match(r"[a-z]+://", target):
            assert (doc.parent / target).resolve().is_relative_to(ROOT)
            assert (doc.parent / target).exists(), f"{doc.name} links to a missing {target}"


def test_the_configuration_names_every_variable_the_settings_read():
    settings = (ROOT / "issues_adapters" / "settings.py").read_text()
    read = set(
        re.findall(r"""(?:environ\.get|env_flag|env_list)\(\s*["']([A-Z_]+)["']""", settings)
    ) | set(re.findall(r"""environ\[["']([A-Z_]+)["']\]""", settings))
    assert {"DEBUG", "HELPDESK_BASE_URL", "PORT"} <= read  # the patterns still find them
    read.add("DATABASE_URL")  # read by dj_database_url
    documented = (ROOT / "docs" / "configuration.md").read_text()
    assert sorted(name for name in read if f"`{name}`" not in documented) == []


def test_the_api_page_names_every_api_address():
    from issues_adapters.api.urls import urlpatterns

    documented = (ROOT / "docs" / "api.md").read_text()
    routes = [
        re.sub(
            r"<\w+:(\w+)>",
            lambda m: "{id}" if m[1] == "issue_id" else f"{{{m[1]}}}",
            str(p.pattern),
        )
        for p in urlpatterns
    ]
    assert [route for route in routes if f"/api/{route}`" not in documented] == []

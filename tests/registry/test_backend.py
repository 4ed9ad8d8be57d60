"""The store's interface (isipo_geo.registry.backend): which backend a location names, and how a
server is named without its password."""

from __future__ import annotations

from pathlib import Path

import pytest

from isipo_geo.registry.backend import as_location, is_server, location_name, redact, short_name


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://fars:s3cr:et@db.example:5432/isipo", "postgresql://fars:***@db.example:5432/isipo"),
    ("postgres://fars:p%40ss@db/isipo", "postgres://fars:***@db/isipo"),
    ("postgresql://fars@db/isipo?password=abc&sslmode=require",
     "postgresql://fars@db/isipo?password=***&sslmode=require"),
    ("postgresql://fars@db/isipo?sslmode=require&PASSWORD=abc",
     "postgresql://fars@db/isipo?sslmode=require&PASSWORD=***"),
    ("postgresql:///isipo?service=isipo", "postgresql:///isipo?service=isipo"),
])
def test_a_servers_password_is_never_shown(url, shown):
    assert redact(url) == location_name(url) == shown
    assert "s3cr" not in short_name(url) and "abc" not in short_name(url)


def test_a_url_stays_text_and_anything_else_is_a_path():
    assert is_server("POSTGRESQL://db/isipo") and not is_server(Path("postgresql:/db"))
    assert as_location("postgresql:///isipo") == "postgresql:///isipo"
    assert as_location("maps/registry.gpkg") == Path("maps/registry.gpkg")
    assert short_name("postgresql://u:pw@db/isipo?sslmode=require") == "postgresql://u:***@db/isipo"

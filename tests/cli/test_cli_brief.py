"""`isipo-geo brief`: the files it writes and its one-line errors."""

from __future__ import annotations

import re

from isipo_geo.cli import app


def test_brief_province_writes_one_page(runner, tmp_path) -> None:
    result = runner.invoke(app, ["brief", "آذربایجان شرقی", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "briefs" / "east_azerbaijan.html"
    assert result.output.strip() == f"wrote {path}"
    text = path.read_text(encoding="utf-8")
    assert "<title>استان آذربایجان شرقی" in text and 'dir="rtl"' in text


def test_brief_all_writes_32_pages(runner, tmp_path) -> None:
    result = runner.invoke(app, ["brief", "all", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in (tmp_path / "briefs").glob("*.html"))
    assert len(pages) == 32 and "national.html" in pages and "fars.html" in pages
    assert "wrote 32 briefs" in result.output


def test_brief_with_budget_adds_the_plan(runner, tmp_path) -> None:
    args = ["brief", "fars", "-o", str(tmp_path), "--budget", "۵۰۰۰ میلیارد تومان"]
    result = runner.invoke(app, [*args, "--years", "1403-1404"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "briefs" / "fars.html").read_text(encoding="utf-8")
    budget = text[text.index('<section id="budget"') :]
    budget = budget[: budget.index("</section>")]
    # 5,000 bn toman a year, cheapest first, equal shares in the official order (issue 21: not
    # by their remainders): Fars's water (2.5 per L/s) is the 8th gap, funded in 1403; its
    # power (3 per MW) the 39th, funded in 1404 (31 × 185.5 + 8 × 229.5 ≤ 10,000)
    assert "rank 8 by cheapest" in budget and "rank 39 by cheapest" in budget
    assert "تأمین کامل" in budget and "۱۴۰۳" in budget and "۱۴۰۴" in budget
    assert "تأمین‌نشده" not in budget


def test_brief_pdf_without_a_browser_is_one_line_and_writes_nothing(
    runner, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("ISIPO_CHROMIUM", str(tmp_path / "no-chrome"))
    result = runner.invoke(app, ["brief", "fars", "--pdf", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 2 and "Traceback" not in result.output  # en, fa
    assert "ISIPO_CHROMIUM=" in result.output and "is not a file" in result.output
    assert result.output.splitlines()[1] == (
        f"خطا: ISIPO_CHROMIUM={tmp_path / 'no-chrome'} پرونده نیست؛ مسیر پروندهٔ chrome یا "
        "chromium را در آن بگذارید")
    assert not (tmp_path / "out").exists()


def test_brief_unknown_province_and_stray_options(runner, tmp_path) -> None:
    result = runner.invoke(app, ["brief", "narnia", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "unknown province 'narnia'" in result.output
    result = runner.invoke(app, ["brief", "fars", "--years", "1403", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "--budget" in result.output
    assert not (tmp_path / "briefs").exists()


def test_brief_is_byte_identical_twice(runner, tmp_path) -> None:
    for d in ("a", "b"):
        assert runner.invoke(app, ["brief", "tehran", "-o", str(tmp_path / d)]).exit_code == 0
    a, b = (tmp_path / d / "briefs" / "tehran.html" for d in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()


def test_map_legend_option_reaches_the_page(runner, tmp_path) -> None:
    result = runner.invoke(app, ["map", "national", "--legend", "compact", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert '"lm":"compact"' in (tmp_path / "national.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["map", "national", "--legend", "tiny", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "tiny" in result.output


def _registry_of_year(tmp_path, year):
    path = tmp_path / "isfahan.csv"
    path.write_text(
        "id,name_fa,kind,province,water_supplied_lps,water_demand_lps,power_deficit_mw,year\n"
        f"isf-1,شهرک صنعتی محمودآباد,industrial_estate,isfahan,40,55,8,{year}\n",
        encoding="utf-8",
    )
    return path


def test_brief_with_a_registry_of_another_year_names_both_years(runner, tmp_path) -> None:
    # a 1403 registry for Isfahan beside the report's 1400 figures: the national brief's year is
    # "1400 and 1403" (the bug: the brief read that year as a number and stopped)
    registry = _registry_of_year(tmp_path, 1403)
    args = ["brief", "all", "-o", str(tmp_path / "out"), "--registry", str(registry)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    briefs = tmp_path / "out" / "briefs"
    national = (briefs / "national.html").read_text(encoding="utf-8")
    assert "۱۴۰۰ و ۱۴۰۳" in national and "1400 and 1403" in national
    isfahan = (briefs / "isfahan.html").read_text(encoding="utf-8")
    # the registry's own rows say 1403 (legend, table); the page's headline names both years
    assert "سال ۱۴۰۳" in isfahan and "1400 and 1403" in isfahan
    assert "محمودآباد" in isfahan


def test_brief_with_a_registry_of_unknown_year_says_so_once(runner, tmp_path) -> None:
    registry = _registry_of_year(tmp_path, "")
    args = ["brief", "isfahan", "-o", str(tmp_path / "out"), "--registry", str(registry)]
    result = runner.invoke(app, [*args, "--registry-only", "--scenario", "registry"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    assert "سال نامعلوم" in text and "year unknown" in text
    assert "سال سال" not in text and "year year" not in text


def test_brief_headline_says_years_and_the_provinces_own_year(runner, tmp_path) -> None:
    # the need section's line names the year of its own figures: Isfahan's come from the 1403
    # registry, Fars's from the 1400 report; the nation's from both ("years 1400 and 1403")
    registry = _registry_of_year(tmp_path, 1403)
    args = ["brief", "all", "-o", str(tmp_path / "out"), "--registry", str(registry)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    briefs = tmp_path / "out" / "briefs"

    def need(name: str) -> str:
        text = (briefs / f"{name}.html").read_text(encoding="utf-8")
        return re.search(r'<section id="need"[^>]*>(.*?)</section>', text, re.DOTALL)[1]

    nation, isfahan, fars = need("national"), need("isfahan"), need("fars")
    assert "سال‌های ۱۴۰۰ و ۱۴۰۳" in nation and "years 1400 and 1403" in nation
    assert "سال ۱۴۰۳" in isfahan and "year 1403" in isfahan and "1400" not in isfahan
    assert "سال ۱۴۰۰" in fars and "year 1400," in fars and "1403" not in fars


def _section(path, sid: str) -> str:
    import re

    text = path.read_text(encoding="utf-8")
    part = text[text.index(f'<section id="{sid}"') :]
    return " ".join(re.sub(r"<[^>]+>", " ", part[: part.index("</section>")]).split())


def test_registry_scenario_brief_states_no_share_of_a_national_total_and_names_estates(
    runner, make_registry, tmp_path
) -> None:
    """Issue 21: with --scenario registry there is no national total (the nation rows are the
    registry's provinces), so a one-province brief must not say it is 100 % of it; its budget
    plan names the estates (not their ids) and gives the reason in Persian beside English."""
    registry = make_registry(40, ["isfahan"])
    args = ["brief", "isfahan", "--registry", str(registry), "--scenario", "registry"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path), "--budget", "100 bn toman"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "briefs" / "isfahan.html"
    need = _section(page, "need")
    assert "share of the national total" not in need and "سهم از جمع کشور" not in need
    assert "۱۰۰٪" not in need
    budget = _section(page, "budget")
    assert "syn-0" not in budget  # the synthetic registry's ids
    assert "شهرک" in budget or "ناحیه" in budget  # the estates' Persian names
    assert "رتبه" in budget and "rank 1 by cheapest" in budget
    assert "به قاعده ارزان‌ترین" in budget


def test_a_province_brief_links_the_national_brief_only_when_it_exists(runner, tmp_path) -> None:
    """Issue 21: `brief fars` alone linked to a national.html that was not written."""
    result = runner.invoke(app, ["brief", "fars", "-o", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "one" / "briefs" / "national.html").exists()
    text = (tmp_path / "one" / "briefs" / "fars.html").read_text(encoding="utf-8")
    assert 'href="national.html"' not in text
    result = runner.invoke(app, ["brief", "all", "-o", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    briefs = tmp_path / "all" / "briefs"
    text = (briefs / "fars.html").read_text(encoding="utf-8")
    assert 'href="national.html"' in text and (briefs / "national.html").exists()


def test_province_titles_show_the_figures_own_year(runner, make_registry, tmp_path) -> None:
    """Issue 21: a 1403 registry for Isfahan beside the 1400 report: Isfahan's map title says
    1403 (it said the national «۱۴۰۰ و ۱۴۰۳»), Fars's 1400."""
    import re

    registry = make_registry(40, ["isfahan"])
    out = tmp_path / "maps"
    args = ["build", "--registry", str(registry), "--registry-year", "1403", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output

    def title(key: str) -> str:
        text = (out / "provinces" / f"{key}.html").read_text(encoding="utf-8")
        # the page's data (JSON): ig-title\"\u003eاستان اصفهان — نیاز مالی ۱۴۰۳\u003c/b...
        found = re.search(r"ig-title\\\"\\u003eاستان [^\\]* — نیاز مالی ([^\\]*)\\u003c", text)
        assert found, key
        return found.group(1)

    assert "۱۴۰۳" in title("isfahan") and "۱۴۰۰" not in title("isfahan")
    assert "۱۴۰۰" in title("fars") and "۱۴۰۳" not in title("fars")


def test_the_need_table_says_when_its_rounded_parts_do_not_add_up(runner, tmp_path) -> None:
    """Displayed parts add up to the displayed total, or the table says it is rounded: water
    0.416 L/s × 2.5 = 1.04 (reads 1), power 0.68 MW × 3 = 2.04 (reads 2), total 3.08 (3.1)."""
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    reg = tmp_path / "reg.csv"
    row = dict.fromkeys(REGISTRY_COLUMNS, "") | {
        "id": "x1",
        "name_fa": "شهرک آزمایشی",
        "kind": "industrial_estate",
        "province": "yazd",
        "water_deficit_lps": "0.416",
        "power_deficit_mw": "0.68",
    }
    reg.write_text(",".join(REGISTRY_COLUMNS) + "\n" + ",".join(row.values()) + "\n", "utf-8")
    args = ["brief", "yazd", "--registry", str(reg), "--scenario", "registry"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    need = _section(tmp_path / "out" / "briefs" / "yazd.html", "need")
    assert "۳٫۱ میلیارد تومان" in need
    assert "rounded: the rounded figures add up to 3, not 3.1" in need
    assert "جمع ارقام گردشده ۳ است، نه ۳٫۱" in need

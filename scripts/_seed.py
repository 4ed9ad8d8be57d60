"""Reading the 1400 report's text (the seed): tables parsed with code, shared by
``build_report_data.py`` and ``build_estates.py``.

Nothing in the ``isipo_geo`` package imports this module: only the build scripts read the seed.
Line numbers are 1-based, as ``sed -n`` and editors show them.

The seed is text extracted from slides: many lines have their words in reverse order, table
cells are separated by the private-use character U+F020, Arabic and Persian letter forms mix.
Every parser checks what it reads (row counts, totals the report prints) and raises
:class:`SeedError` when the text is not what it expects.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from isipo_geo.names import fold, normalize_fa, resolve_province

CELL = "\uf020"


class SeedError(Exception):
    """The seed text is not what a parser expects."""


def read_seed(path: str | Path) -> list[str]:
    """The seed's lines (index 0 is line 1)."""
    return Path(path).read_text(encoding="utf-8").splitlines()


_NUMBER = re.compile(r"\d+(?:[,\u060c\u066c]\d{3})*(?:\.\d+)?")


def numbers(text: str) -> list[float]:
    """Numbers on a line, left to right as stored (``21،795`` and ``6,103`` are thousands)."""
    text = normalize_fa(text.replace("\u060c", ","))
    return [float(re.sub(r"[,\u060c\u066c]", "", m)) for m in _NUMBER.findall(text)]


def find_line(lines: list[str], *needles: str, start: int = 1) -> int:
    """First line number (1-based, from ``start``) whose folded text holds every needle."""
    keys = [fold(n) for n in needles]
    for i in range(start - 1, len(lines)):
        text = fold(lines[i])
        if all(k in text for k in keys):
            return i + 1
    raise SeedError(f"no line holds {needles!r} (from line {start})")


def half_up(x: float) -> int:
    """Round half up, as the report rounds percentages (112.5 -> 113)."""
    return math.floor(x + 0.5)


# --- re-activation of stalled units by province (راه اندازی مجدد) -------------------------

REACTIVATION_COLUMNS = (
    "inside_plan",
    "inside_actual",
    "outside_plan",
    "outside_actual",
    "total_plan",
    "total_actual",
    "achieved_pct",
)


@dataclass
class ReactivationTable:
    rows: list[dict] = field(default_factory=list)  # line, province_fa, province, columns
    totals: dict = field(default_factory=dict)  # column -> (value, line)


def parse_reactivation(lines: list[str]) -> ReactivationTable:
    """The province table of re-activated stalled units in 1400.

    Rows are ``␠66␠69␠17␠20␠83␠89␠107␠آذربايجان شرقي`` (U+F020 between cells): inside estates
    plan / actual, outside plan / actual, total plan / actual, % achieved, province. The totals
    row (``جمع``) prints the total actual and % achieved on the next line.
    """
    header = find_line(lines, "درصد تحقق", "جمع کل", "خارج شهرک", "داخل شهرک")
    table = ReactivationTable()
    n = header
    while n < len(lines):
        n += 1
        text = lines[n - 1]
        if CELL not in text:
            continue
        cells = [c.strip() for c in text.split(CELL) if c.strip()]
        label = normalize_fa(cells[-1])
        if label == "جمع":
            values = [int(c) for c in cells[:-1]]
            if len(values) != 5:
                raise SeedError(f"line {n}: totals row has {len(values)} numbers, expected 5")
            for col, v in zip(REACTIVATION_COLUMNS, values, strict=False):
                table.totals[col] = (v, n)
            rest = numbers(lines[n])  # "2067 %103"
            if len(rest) != 2:
                raise SeedError(f"line {n + 1}: expected total actual and % achieved")
            table.totals["total_actual"] = (int(rest[0]), n + 1)
            table.totals["achieved_pct"] = (int(rest[1]), n + 1)
            break
        if not all(re.fullmatch(r"\d+", c) for c in cells[:7]) or len(cells) != 8:
            continue  # the sub-header row (برنامه / عملکرد)
        row = {"line": n, "province_fa": label, "province": resolve_province(label)}
        row.update(zip(REACTIVATION_COLUMNS, (int(c) for c in cells[:7]), strict=True))
        table.rows.append(row)
    check_reactivation(table)
    return table


def check_reactivation(table: ReactivationTable) -> None:
    """31 distinct provinces; inside + outside = total; % = actual / plan; columns sum to the
    printed totals."""
    if len(table.rows) != 31 or len({r["province"] for r in table.rows}) != 31:
        raise SeedError(f"re-activation table: {len(table.rows)} rows, expected 31 provinces")
    for r in table.rows:
        for kind in ("plan", "actual"):
            if r[f"inside_{kind}"] + r[f"outside_{kind}"] != r[f"total_{kind}"]:
                raise SeedError(f"line {r['line']}: inside + outside != total ({kind})")
        if half_up(100 * r["total_actual"] / r["total_plan"]) != r["achieved_pct"]:
            raise SeedError(f"line {r['line']}: % achieved does not match actual / plan")
    for col in REACTIVATION_COLUMNS[:6]:
        total = sum(r[col] for r in table.rows)
        printed = table.totals[col][0]
        if total != printed:
            raise SeedError(
                f"re-activation {col}: provinces sum to {total}, the report prints {printed}"
            )


# --- estates developed in 1400 (شهرک صنعتی / مساحت هکتار) -----------------------------------


@dataclass
class DevelopedRow:
    line: int
    row_no: int
    province: str
    province_fa: str
    area_ha: float
    names: list[str]  # normalised Persian estate names (without "شهرک صنعتی")


def _estate_name(token: str) -> str:
    """'1بیرجند' (number stuck before the name by extraction) -> 'بیرجند 1'."""
    token = normalize_fa(token)
    m = re.fullmatch(r"(\d+)\s*(.+)", token)
    if m:
        return f"{m.group(2).strip()} {m.group(1)}"
    return token


def parse_developed(lines: list[str]) -> tuple[list[DevelopedRow], dict]:
    """The table of estates developed in 1400: row number, province, estate name(s), hectares.

    Each line reads ``<area> <names separated by ،> <province> <row>`` (cells in visual order,
    words inside cells in logical order). A row may hold two estates with one combined area.
    Returns the rows and ``{"line", "area_ha", "count"}`` of the printed total (``جمع کل``).
    """
    header = find_line(lines, "مساحت", "شهرک صنعتی", "استان", "ردیف")
    rows: list[DevelopedRow] = []
    n = header
    while n < len(lines):
        n += 1
        text = normalize_fa(lines[n - 1])
        if not text:
            continue
        if text.endswith("جمع کل"):
            vals = numbers(text)
            if len(vals) != 2:
                raise SeedError(f"line {n}: expected total hectares and estate count")
            total = {"line": n, "area_ha": vals[0], "count": int(vals[1])}
            break
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s+(.+?)\s+(\d+)", text)
        if not m:
            raise SeedError(f"line {n}: not a row of the developed-estates table: {text!r}")
        area, middle, row_no = float(m.group(1)), m.group(2), int(m.group(3))
        words = middle.split(" ")
        province = province_fa = None
        for k in range(1, min(4, len(words))):  # the province is the last 1-3 words
            candidate = " ".join(words[-k:])
            try:
                province = resolve_province(candidate)
            except LookupError:
                continue
            province_fa, names_text = candidate, " ".join(words[:-k])
        if province is None:
            raise SeedError(f"line {n}: no province at the end of {middle!r}")
        # Names are separated by '،'; extraction can move the comma ('، خلیج فارس 2بندرعباس'),
        # so a word with a number stuck before it ('2بندرعباس') also starts a new name.
        names_text = re.sub(r"\s(?=\d+[^\d\s.])", " ، ", names_text)
        names = [_estate_name(t) for t in names_text.split("،") if t.strip()]
        rows.append(DevelopedRow(n, row_no, province, province_fa, area, names))
    else:
        raise SeedError("developed-estates table: no total row (جمع کل)")
    if [r.row_no for r in rows] != list(range(1, len(rows) + 1)):
        raise SeedError("developed-estates table: row numbers are not 1..n")
    count = sum(len(r.names) for r in rows)
    if count != total["count"]:
        raise SeedError(f"developed estates: {count} names, the report prints {total['count']}")
    return rows, total


# --- special economic zones (مناطق ویژه اقتصادی) --------------------------------------------

SEZ_STATUS_LABELS = {
    # label as printed (normalised, spaces folded) -> (status key, English)
    "به بهره برداری رسیده": ("operational", "in operation"),
    "مصوب (در دست ساخت)": ("under_construction", "approved (under construction)"),
}


@dataclass
class SezRow:
    line: int
    row_no: int
    province: str
    province_fa: str
    place_fa: str  # the place in parentheses ('' when none)
    status: str
    status_fa: str
    status_line: int


def parse_sez(lines: list[str]) -> list[SezRow]:
    """The table of the 9 special economic zones: number, province (place), status.

    Status cells span several rows; the extracted text prints each status label after the
    first row of its group (``به بهره برداري رسيده`` after row 1, ``مصوب (در دست ساخت)`` after
    row 6), so a label applies to the row just before it and the rows after it, up to the row
    before the next label.
    """
    header = find_line(lines, "وضعیت", "نام منطقه")
    items: list[tuple[str, int, str]] = []  # ("row"|"status", line, text)
    n = header
    pending = ""
    while n < len(lines) and len([i for i in items if i[0] == "row"]) < 9:
        n += 1
        text = normalize_fa(lines[n - 1])
        if not text:
            continue
        m = re.fullmatch(r"(.+?)\s+(\d)", text)
        if m and not pending:
            items.append(("row", n, text))
            continue
        pending = f"{pending} {text}".strip()
        for label in SEZ_STATUS_LABELS:
            if re.sub(r"\s+", "", pending) == re.sub(r"\s+", "", label):
                items.append(("status", n, label))
                pending = ""
                break
    row_items = [i for i in items if i[0] == "row"]
    if len(row_items) != 9:
        raise SeedError(f"SEZ table: {len(row_items)} rows, expected 9")
    # status of each row: a label covers the row before it and what follows
    status_of: dict[int, tuple[str, int]] = {}
    current: tuple[str, int] | None = None
    for idx, (kind, line, text) in enumerate(items):
        if kind == "status":
            current = (text, line)
            prev = items[idx - 1]
            if prev[0] == "row":
                status_of[prev[1]] = current
        elif current is not None:
            status_of[line] = current
    rows: list[SezRow] = []
    for _, line, text in row_items:
        m = re.fullmatch(r"(.+?)\s+(\d)", text)
        body, row_no = m.group(1), int(m.group(2))
        place = ""
        pm = re.search(r"\(([^)]*)\)", body)
        if pm:
            place = normalize_fa(pm.group(1))
            body = (body[: pm.start()] + " " + body[pm.end() :]).strip()
        province_fa = normalize_fa(body)
        if line not in status_of:
            raise SeedError(f"line {line}: SEZ row without a status")
        label, status_line = status_of[line]
        rows.append(
            SezRow(
                line,
                row_no,
                resolve_province(province_fa),
                province_fa,
                place,
                SEZ_STATUS_LABELS[label][0],
                label,
                status_line,
            )
        )
    if [r.row_no for r in rows] != list(range(1, 10)):
        raise SeedError("SEZ table: rows are not numbered 1..9")
    return rows


# --- the six technology estates (شهرک فناوری), L677-L681 -----------------------------------
# The sentence lists them in reversed word order across two lines; written out here and checked
# word by word against those lines by ``check_technology_estates``.
# (name_fa after "شهرک فناوری", name_en, province key, town to geocode or "")
TECHNOLOGY_ESTATES = (
    ("صنایع غذایی مشهد", "Mashhad food industries", "razavi_khorasan", "مشهد"),
    ("قطعات خودرو تبریز", "Tabriz automotive parts", "east_azerbaijan", "تبریز"),
    ("صنایع غذایی و الکترونیک ارومیه", "Urmia food and electronics", "west_azerbaijan", "ارومیه"),
    ("صنایع شیمیایی فارس", "Fars chemical industries", "fars", ""),
    ("صنایع نوین اصفهان", "Isfahan new industries", "isfahan", "اصفهان"),
    ("کانی غیرفلزی همدان", "Hamadan non-metallic minerals", "hamadan", "همدان"),
)


def check_technology_estates(lines: list[str]) -> tuple[int, int, int]:
    """Lines of (the count of technology estates, the list's first line, its last line); checks
    the printed count is 6 and every word of every listed name is in the list's lines."""
    count_line = find_line(lines, "شهرک فناوری", "راه اندازی شده است")
    if numbers(lines[count_line - 1]) != [len(TECHNOLOGY_ESTATES)]:
        raise SeedError(f"line {count_line}: expected the count {len(TECHNOLOGY_ESTATES)}")
    first = find_line(lines, "مشهد", "قطعات", "خودرو", start=count_line)
    last = find_line(lines, "غیرفلزی", start=first)
    words = set(normalize_fa(" ".join(lines[first - 1 : last])).replace("،", " ").split())
    words |= {w.strip("()") for w in words}
    for name_fa, *_ in TECHNOLOGY_ESTATES:
        missing = [w for w in name_fa.split() if w not in words]
        if missing:
            raise SeedError(f"technology estate {name_fa!r}: {missing} not on lines {first}-{last}")
    return count_line, first, last


# --- other estates the report names ----------------------------------------------------------
# (kind, name_fa, name_en, province key, town or "", area_ha or None, words that find the line)
# Nazarabad No. 2: "شهرک صنعتی شماره دو نظرآباد به وسعت 90 هکتار" (L1516; L1518 gives the
# estate's lands as 360 ha). Ilam No. 2: "اراضی شهرک صنعتی شماره 2 ایلام به وسعت 75 هکتار ...
# خریداری" (L1538, reversed words). ``other_estate_line`` checks the area is on the line.
OTHER_ESTATES = (
    (
        "industrial_estate",
        "شهرک صنعتی نظرآباد 2",
        "Nazarabad industrial estate No. 2",
        "alborz",
        "نظرآباد",
        90.0,
        ("شهرک صنعتی شماره دو نظرآباد", "وسعت"),
    ),
    (
        "industrial_estate",
        "شهرک صنعتی ایلام 2",
        "Ilam industrial estate No. 2",
        "ilam",
        "ایلام",
        75.0,
        ("ایلام", "اراضی", "وسعت", "خریداری"),
    ),
)

# English names of the developed estates and SEZ places (transliterations; keyed by the
# normalised Persian name as parsed from the seed). A new name in the seed fails the build
# until it is added here.
NAMES_EN = {
    "کلات": "Kalat",
    "طوس": "Tus",
    "فردانبه": "Fardanbeh",
    "عباس آباد": "Abbasabad",
    "نصیر آباد": "Nasirabad",
    "بیرجند 1": "Birjand 1",
    "بندرعباس 2": "Bandar Abbas 2",
    "خلیج فارس": "Khalij-e Fars (Persian Gulf)",
    "صید آباد": "Seydabad",
    "دامغان": "Damghan",
    "شهید محمد زاده": "Shahid Mohammadzadeh",
    "هرند": "Harand",
    "جمبزه": "Jambezeh",
    "بوعلی 3": "Bu Ali 3",
    "دزفول 2": "Dezful 2",
    "اسکو": "Osku",
    "ملکان": "Malekan",
    # SEZ places
    "یزد": "Yazd",
    "ازنا": "Azna",
    "بجنورد": "Bojnurd",
    "سمنان": "Semnan",
    "کازرون": "Kazerun",
    "شمال استان": "North of the province",
    "بانه": "Baneh",
    "جهان آباد": "Jahanabad",
    "اترک": "Atrak",
}


def name_en(name_fa: str) -> str:
    try:
        return NAMES_EN[normalize_fa(name_fa)]
    except KeyError:
        raise SeedError(f"no English name for {name_fa!r}; add it to NAMES_EN") from None


def slug(text: str) -> str:
    """'Bandar Abbas 2' -> 'bandar_abbas_2'."""
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def developed_estate_id(province: str, name_fa: str) -> str:
    return f"ie-{province}-{slug(name_en(name_fa))}"


def sez_id(province: str) -> str:
    return f"sez-{province}"


def technology_estate_id(province: str, name_en_: str) -> str:
    return f"te-{province}-{slug(name_en_)}"


def other_estate_line(lines: list[str], estate: tuple) -> int:
    """The line naming one of OTHER_ESTATES; checks its area is printed there."""
    n = find_line(lines, *estate[6])
    if estate[5] is not None and estate[5] not in numbers(lines[n - 1]):
        raise SeedError(f"line {n}: area {estate[5]} of {estate[1]!r} not found")
    return n

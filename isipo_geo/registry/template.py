"""A blank registry workbook for provincial companies to fill in and send back.

The sheet is right-to-left, its headers are ones :func:`isipo_geo.registry.importer.import_registry`
recognises (with their units stated, since the importer never assumes a unit), and the kind,
status, province and yes/no columns offer drop-down lists in Persian. A note on each header
gives the English meaning. Nothing in it is data: it has no rows.

Above the header, the «سال اطلاعات» cell (:data:`YEAR_CELL`) takes the Jalali year of the
figures: the importer gives it to every row without a year of its own, so the maps and tables
say "1403" — or "year unknown" when it is left empty, never the report's 1400.
"""

from __future__ import annotations

from pathlib import Path

from isipo_geo.labels import UNIT_LABELS
from isipo_geo.registry.criteria_columns import CRITERIA_COLUMNS
from isipo_geo.tables import save_workbook
from isipo_geo.utilities import UTILITIES, Utility


def _figure_columns(u: Utility) -> list[tuple[str, str, str | None]]:
    """A utility's three figures, headed with their unit: «کمبود گاز (کیلومتر)»."""
    unit_fa, unit_en = UNIT_LABELS[u.unit]
    return [
        (f"{u.label_fa} تامین شده ({unit_fa})", f"{u.label_en} supplied, {unit_en}", None),
        (f"{u.label_fa} مورد نیاز ({unit_fa})", f"{u.label_en} demand, {unit_en}", None),
        (f"کمبود {u.label_fa} ({unit_fa})", f"{u.label_en} deficit, {unit_en}", None),
    ]


def _yes_no_columns(u: Utility) -> list[tuple[str, str, str | None]]:
    """A utility's yes/no column (and optical fibre's after telecom's)."""
    out = [(f"دارای {u.label_fa}", f"has {u.label_en}: دارد / ندارد", "yesno")]
    if u.has_column == "has_telecom":
        out.append(("فیبر نوری", "has optical fibre: دارد / ندارد", "yesno"))
    return out


# (Persian header the importer maps, English note, drop-down list name or None); the
# utilities' columns come from data/utilities/utilities.csv
COLUMNS: list[tuple[str, str, str | None]] = [
    ("کد شهرک", "id: your code for the estate (optional; generated when empty)", None),
    ("نام شهرک", "name of the estate, zone or SEZ (required)", None),
    ("نام انگلیسی", "English name (optional)", None),
    ("نوع", "kind: industrial estate, zone, SEZ or technology estate (required)", "kinds"),
    ("استان", "province (required; any spelling resolves)", "provinces"),
    ("وضعیت", "status", "statuses"),
    ("مساحت (هکتار)", "area in hectares", None),
    *(column for u in UTILITIES for column in _figure_columns(u)),
    *(column for u in UTILITIES for column in _yes_no_columns(u)),
    ("طول جغرافیایی", "longitude, decimal degrees (e.g. 51.42); or leave empty", None),
    ("عرض جغرافیایی", "latitude, decimal degrees (e.g. 35.70); or leave empty", None),
    ("UTM easting (متر)", "UTM easting in metres, instead of longitude/latitude", None),
    ("UTM northing (متر)", "UTM northing in metres", None),
    ("زون UTM", "UTM zone of easting/northing: 38, 39, 40 or 41 (northern hemisphere)", "zones"),
    ("شهر", "town the estate is next to, used when there are no coordinates", None),
    ("شهرستان", "county: the town is looked up inside it (several towns of one name)", None),
    # what a budget committee can score on (data/estates/criteria_columns.csv); empty = unknown
    *((c.header_fa, f"{c.column}: {c.note_en} (optional; leave empty if unknown, never 0)",
       None) for c in CRITERIA_COLUMNS),
]

LISTS: dict[str, list[str]] = {
    "kinds": ["شهرک صنعتی", "ناحیه صنعتی", "منطقه ویژه اقتصادی", "شهرک فناوری"],
    "statuses": ["فعال", "در حال احداث", "در دست مطالعه", "مصوب", "غیرفعال"],
    "yesno": ["دارد", "ندارد"],
    "zones": ["38", "39", "40", "41"],
}

YEAR_LABEL = "سال اطلاعات (هجری شمسی) / data year"
YEAR_CELL = "C3"  # where the planner writes the year, beside YEAR_LABEL in A3

TITLE = "فهرست شهرک‌ها و نواحی صنعتی — برای isipo-geo import"
SUBTITLE = (
    "Estate registry for `isipo-geo import`: one row per estate, zone or SEZ. Keep the units in "
    "the headers; leave unknown cells empty (never 0)."
)
DATA_ROWS = 2000  # rows the drop-down lists cover


def write_template(path: str | Path) -> Path:
    """Write the blank registry workbook (XLSX) to ``path``, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_template(pathlib.Path(tempfile.mkdtemp()) / "registry.xlsx")
    >>> out.suffix
    '.xlsx'
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from isipo_geo.provinces import province_records

    lists = {**LISTS, "provinces": [p["name_fa"] for p in province_records()]}
    lists["zones"] = lists.pop("zones")  # provinces stay in column D of the lists sheet
    wb = Workbook()
    ws = wb.active
    ws.title = "registry"
    ws.sheet_view.rightToLeft = True
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = SUBTITLE
    ws["A3"] = YEAR_LABEL
    ws["A3"].font = Font(bold=True)
    ws.merge_cells("A3:B3")
    year = ws[YEAR_CELL]
    year.fill = PatternFill("solid", fgColor="FFF2CC")
    year.comment = Comment(
        "Jalali year of the figures below, e.g. 1403 (every row gets it; leave empty if "
        "unknown)",
        "isipo-geo",
    )
    year_dv = DataValidation(type="whole", operator="between", formula1="1300", formula2="1500")
    year_dv.error = "سال را به هجری شمسی بنویسید، مثلا ۱۴۰۳ / a Jalali year, e.g. 1403"
    year_dv.showErrorMessage = True
    year_dv.add(YEAR_CELL)
    ws.add_data_validation(year_dv)
    header_row = 4
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, (header, note, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(note, "isipo-geo")
        ws.column_dimensions[get_column_letter(i)].width = max(14, len(header) + 4)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _print_setup(ws, header_row)

    # Drop-down lists live on a second sheet so they can be long (31 provinces).
    ls = wb.create_sheet("lists")
    ls.sheet_view.rightToLeft = True
    refs = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        ls.cell(row=1, column=col, value=name)
        for r, value in enumerate(values, start=2):
            ls.cell(row=r, column=col, value=value)
        refs[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    ls.sheet_state = "hidden"
    first, last = header_row + 1, header_row + DATA_ROWS
    for i, (_, _, list_name) in enumerate(COLUMNS, start=1):
        if list_name is None:
            continue
        dv = DataValidation(type="list", formula1=f"={refs[list_name]}", allow_blank=True)
        dv.error = "یکی از گزینه‌های فهرست را انتخاب کنید / choose a value from the list"
        dv.showErrorMessage = True
        letter = get_column_letter(i)
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)
    save_workbook(wb, path)
    return Path(path)


def _print_setup(ws, header_row: int) -> None:
    """Print as the other workbooks do: A4 landscape, one page wide, the rows down to the
    header on every page, the title in the page header, «صفحه n از m» in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.oddHeader.center.text = TITLE.replace("&", "&&")
    ws.oddFooter.right.text = "صفحه &P از &N"

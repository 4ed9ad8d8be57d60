"""A small streaming XLSX (SpreadsheetML) writer: rows go straight into the zip, one at a time.

Tables of 150,000 rows are written in seconds and with little memory: no cell objects, no copy of
the table; what is kept is the table of distinct strings (shared strings, as Excel itself writes
them), which refers to the caller's own string objects. The parts and their shapes follow what
XlsxWriter writes (``[Content_Types].xml``, the package and workbook relationships, the workbook
with a ``_FilterDatabase`` name per filtered sheet, styles, one worksheet per table, the shared
strings); there is no theme and no ``docProps`` (both optional), so the same input gives the same
bytes (every zip entry is dated 1980-01-01, like XlsxWriter's).

Each sheet is right-to-left with a bold, tinted, wrapped first row of a given height, frozen
below that row, with a filter over the table and given column widths. It prints on A4 landscape,
one page wide (as many pages down as it needs), the first row repeated on every page (the print
titles, a ``_xlnm.Print_Titles`` name), with the sheet's title in the page header and a footer
with the sheet's date and «صفحه &P از &N» (page n of m). Text in Arabic script is right-aligned,
other text with letters left-aligned (a Latin address reads from its start in a right-to-left
sheet). Cells:

- ``str`` is always text, never a formula or a link, whatever it starts with; CR LF and CR
  become LF; the control characters other than tab and LF are kept as Excel's ``_xHHHH_``
  escapes (a literal ``_xHHHH_`` is escaped in turn, as Excel does); characters XML cannot
  hold (lone surrogates, U+FFFE, U+FFFF) are dropped.
- ``bool`` is a boolean; ``int``, ``float`` and ``Decimal`` are numbers (a float as its
  shortest exact text, a Decimal as written, which Excel reads as the nearest float), with the
  number format the row gives that cell;
  infinity is Excel's ``#NUM!`` error; ``None`` and NaN are empty cells.
- other real numbers (numpy's) are numbers too; anything else is written as its ``str``.

Imports nothing from isipo_geo; writes to a binary file the caller opened (see
:func:`isipo_geo.io.atomic_write`).
"""

from __future__ import annotations

import math
import numbers
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, NamedTuple

HEADER_FILL = "F5F1EC"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CHUNK_ROWS = 500  # rows joined and compressed at a time
# Parts that may outgrow this are written with ZIP64 fields, which older Excels warn about, so
# only then (XlsxWriter never writes them unless asked).
_ZIP64_LIMIT = zipfile.ZIP64_LIMIT
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class Sheet(NamedTuple):
    """One sheet to write.

    Attributes
    ----------
    name
        The sheet's name (at most 31 characters, none of ``[ ] : * ? / \\``).
    header
        The first row's text, one per column.
    widths
        Column widths in characters, one per column.
    rows
        The rows after the header, each a pair ``(values, number_formats)``: the cells and,
        aligned with them, each cell's number format (``None``: Excel's General). Consumed once.
    n_rows
        How many rows ``rows`` yields (the sheet's dimension and filter are written first).
    header_height
        The first row's height in points.
    title
        Printed in the middle of every page's header (empty: none).
    date
        Printed in the footer beside «صفحه n از m» (empty: none), as the caller writes it;
        ``"&D"`` prints the date the page is printed on.
    scale
        Print at this percentage (:func:`print_scale`) instead of one page wide.
    """

    name: str
    header: Sequence[str]
    widths: Sequence[float]
    rows: Iterable[tuple[Sequence[object], Sequence[str | None]]]
    n_rows: int
    header_height: float = 33
    title: str = ""
    date: str = ""
    scale: int | None = None


# A4 landscape, less the left and right margins the sheets print with (0.4 in each), in pixels
# at 96 per inch: what one page holds across.
A4_LANDSCAPE_WIDTH_PX = (297 / 25.4 - 2 * 0.4) * 96
# Printed pixels a character of column width takes. Excel draws 7, but LibreOffice prints wider
# (measured: the funding print view, 139 characters across, fits one page wide at 80 %, not at
# 85 %, i.e. about 9.2); 10 keeps a margin for other fonts.
PRINTED_PX_PER_CHAR = 10


def print_scale(widths: Sequence[float]) -> int:
    """The largest whole percentage (at most 100) at which columns of ``widths`` (characters)
    fit across one A4 landscape page (:data:`PRINTED_PX_PER_CHAR`, 5 pixels of padding).

    >>> print_scale([20] * 5), print_scale([20] * 20)
    (100, 25)
    """
    pixels = sum(int(w * PRINTED_PX_PER_CHAR + 0.5) + 5 for w in widths)
    return max(10, min(100, int(A4_LANDSCAPE_WIDTH_PX * 100 // max(pixels, 1))))


def write_workbook(f: IO[bytes], sheets: Sequence[Sheet], *, compresslevel: int = 3) -> None:
    """Write ``sheets`` as an XLSX workbook to the binary file ``f`` (seekable or not).

    ``compresslevel`` is zlib's: 3 makes files as small as XlsxWriter's (level 6) for about
    half the time of 6 (151,792 funding rows: 15 MB; level 1 is 0.4 s quicker but 18 MB).

    Raises ``ValueError`` for a bad or repeated sheet name or rows that do not match ``n_rows``;
    errors of ``f`` (a full disk) pass through.

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> write_workbook(buf, [Sheet("t", ["a"], [8], iter([(["=1+1"], [None])]), 1)])
    >>> b"<t>=1+1</t>" in zipfile.ZipFile(buf).read("xl/sharedStrings.xml")
    True
    """
    _check_names([s.name for s in sheets])
    strings: dict[str, int] = {}
    aligned: list[str] = []  # each shared string's cell style: right, left or none
    formats: dict[str | None, str] = {None: "", "": ""}
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        _put(zf, "[Content_Types].xml", _content_types(len(sheets)))
        _put(zf, "_rels/.rels", _package_rels())
        n_strings = 0
        for i, sheet in enumerate(sheets, start=1):
            part = _entry(f"xl/worksheets/sheet{i}.xml", compresslevel)
            most = (sheet.n_rows + 1) * (64 * max(len(sheet.header), 1) + 32)  # bytes, at most
            with zf.open(part, "w", force_zip64=most > _ZIP64_LIMIT) as out:
                n_strings += _write_sheet(out, sheet, first=i == 1, strings=strings,
                                          formats=formats, aligned=aligned)
        _put(zf, "xl/workbook.xml", _workbook(sheets))
        _put(zf, "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        _put(zf, "xl/styles.xml", _styles([c for c in formats if c]))
        most = sum(7 * len(text) + 40 for text in strings)  # bytes, escaped, at most
        part = _entry("xl/sharedStrings.xml", compresslevel)
        with zf.open(part, "w", force_zip64=most > _ZIP64_LIMIT) as out:
            _write_shared_strings(out, strings, n_strings)


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(702)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape_text(text: str) -> str:
    """Text as XML character data inside ``<t>``, with Excel's escapes (see the module's
    docstring).

    Examples
    --------
    >>> escape_text("a<b & c\\x01"), escape_text("_x0041_"), escape_text("x\\ud800y\\r\\nz")
    ('a&lt;b &amp; c_x0001_', '_x005F_x0041_', 'xy\\nz')
    """
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return _ILLEGAL.sub("", text)


_NEEDS_ESCAPE = re.compile(
    "[&<>\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9a-fA-F]{4}_"
)
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _check_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if not name or len(name) > 31 or _SHEET_NAME_BAD.search(name):
            raise ValueError(f"bad sheet name {name!r}: 1–31 characters, none of []:*?/\\")
        if name.lower() in seen:
            raise ValueError(f"sheet name {name!r} is used twice")
        seen.add(name.lower())


def _entry(name: str, level: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = level  # type: ignore[attr-defined]  # a ZipInfo's own, else zlib's 6
    info.external_attr = 0o600 << 16
    return info


def _put(zf: zipfile.ZipFile, name: str, xml: str) -> None:
    zf.writestr(_entry(name, zf.compresslevel or 6), (_DECL + xml).encode("utf-8"))


def _write_sheet(
    out: IO[bytes], sheet: Sheet, *, first: bool, strings: dict[str, int],
    formats: dict[str | None, str], aligned: list[str],
) -> int:
    """Stream one worksheet; returns how many string cells it holds."""
    n_cols = len(sheet.header)
    letters = [column_letter(i) for i in range(max(n_cols, 1))]
    last = f"{letters[-1]}{sheet.n_rows + 1}"
    selected = ' tabSelected="1"' if first else ""
    view = (
        f'<sheetView rightToLeft="1"{selected} workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView>'
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{_excel_width(w)}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths, start=1)
    )
    head = "".join(
        f'<c r="{letters[i]}1" s="1" t="s"><v>{_string_index(strings, str(text), aligned)}</v>'
        "</c>"
        for i, text in enumerate(sheet.header)
    )
    out.write(
        (
            _DECL + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            + ("" if sheet.scale else '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
            + f'<dimension ref="A1:{last}"/>'
            f"<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
            + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData><row r="1" ht="{_num(sheet.header_height)}" customHeight="1">'
            f"{head}</row>"
        ).encode("utf-8")
    )
    n_strings = n_cols + _write_rows(out, sheet, letters, strings, formats, aligned)
    filt = f'<autoFilter ref="A1:{last}"/>' if n_cols else ""
    out.write(
        (
            f"</sheetData>{filt}<printOptions horizontalCentered=\"1\"/>"
            '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.25" '
            'footer="0.25"/><pageSetup paperSize="9" orientation="landscape" '
            + (f'scale="{sheet.scale}"' if sheet.scale else 'fitToWidth="1" fitToHeight="0"')
            + f"/>{_header_footer(sheet)}</worksheet>"
        ).encode()
    )
    return n_strings


def _header_footer(sheet: Sheet) -> str:
    """The printed page's header (the title, bold, in the middle) and footer (the date on the
    left, «صفحه &P از &N» on the right, where a Persian reader starts)."""
    def code(text: str) -> str:  # "&" starts a code in header text: a literal one is "&&"
        return text.replace("&", "&&")

    head = f'&C&"-,Bold"{code(sheet.title)}' if sheet.title else ""
    date = "&D" if sheet.date == "&D" else code(sheet.date)  # &D: the date it is printed on
    foot = (f"&L{date}" if sheet.date else "") + "&Rصفحه &P از &N"
    return (
        "<headerFooter>"
        + (f"<oddHeader>{escape_text(head)}</oddHeader>" if head else "")
        + f"<oddFooter>{escape_text(foot)}</oddFooter></headerFooter>"
    )


def _write_rows(
    out: IO[bytes], sheet: Sheet, letters: list[str], strings: dict[str, int],
    formats: dict[str | None, str], aligned: list[str],
) -> int:
    """The inner loop: one ``<row>`` per row, joined and written in chunks."""
    n_strings = 0
    n = 1
    parts: list[str] = []
    add = parts.append
    get_string = strings.get
    align = aligned.append
    for n, (values, cell_formats) in enumerate(sheet.rows, start=2):
        if n > sheet.n_rows + 1:
            raise ValueError(f"sheet {sheet.name!r}: more rows than n_rows={sheet.n_rows}")
        r = str(n)
        add(f'<row r="{r}">')
        for letter, value, number_format in zip(letters, values, cell_formats, strict=False):
            kind = type(value)
            if kind is str:
                index = get_string(value)
                if index is None:
                    index = strings[value] = len(strings)
                    align(_alignment(value))
                add(f'<c r="{letter}{r}"{aligned[index]} t="s"><v>{index}</v></c>')
                n_strings += 1
                continue
            if value is None:
                continue
            if kind is Decimal:
                text = str(value)  # exact, and 6x quicker than the float's repr
                if "E" in text or not text[-1].isdigit():  # exponent, NaN, Infinity
                    text = _number_text(value)
            elif kind is float or kind is int:
                text = _number_text(value)
            else:
                text, kind = _other(value)
                if kind is str:
                    index = get_string(text)
                    if index is None:
                        index = strings[text] = len(strings)
                        align(_alignment(text))
                    add(f'<c r="{letter}{r}"{aligned[index]} t="s"><v>{index}</v></c>')
                    n_strings += 1
                    continue
                if kind is bool:
                    add(f'<c r="{letter}{r}" t="b"><v>{text}</v></c>')
                    continue
            if text is None:
                continue
            style = formats.get(number_format)
            if style is None:
                # 0 default, 1 header, 2 and 3 text (right, left), then the number formats
                style = formats[number_format] = f' s="{len(formats) + _TEXT_STYLES}"'
            if text == "#NUM!":
                add(f'<c r="{letter}{r}"{style} t="e"><v>#NUM!</v></c>')
            else:
                add(f'<c r="{letter}{r}"{style}><v>{text}</v></c>')
        add("</row>")
        if not n % _CHUNK_ROWS:
            out.write("".join(parts).encode("utf-8"))
            parts.clear()
    if n != sheet.n_rows + 1:
        raise ValueError(f"sheet {sheet.name!r}: {n - 1} rows, not n_rows={sheet.n_rows}")
    out.write("".join(parts).encode("utf-8"))
    return n_strings


def _number_text(value: float | int | Decimal) -> str | None:
    """A number as ``<v>`` text: the shortest text of the float (an exact round trip), an int
    as written while a float holds it exactly; ``None`` for NaN, ``#NUM!`` for infinity."""
    if type(value) is int and -(2**53) <= value <= 2**53:
        return str(value)
    number = float(value)
    if number != number:
        return None
    if math.isinf(number):
        return "#NUM!"
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


def _other(value: object) -> tuple[str | None, type]:
    """A cell of another type: (its ``<v>`` text or the text to store, the kind written)."""
    if isinstance(value, bool):
        return ("1" if value else "0"), bool
    if isinstance(value, numbers.Real | Decimal):  # numpy's int64 and float64, IntEnum...
        return _number_text(float(value) if not isinstance(value, int) else value), float
    try:
        if value != value:  # NaN-like (pandas.NA, numpy NaT)
            return None, float
    except (TypeError, ValueError):
        return None, float
    return str(value), str


def _string_index(strings: dict[str, int], text: str, aligned: list[str]) -> int:
    index = strings.get(text)
    if index is None:
        index = strings[text] = len(strings)
        aligned.append(_alignment(text))
    return index


_TEXT_STYLES = 2  # the cell styles of right- and left-aligned text, after default and header
_RIGHT, _LEFT = ' s="2"', ' s="3"'
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LETTER = re.compile(r"[^\W\d_]")


def _alignment(text: str) -> str:
    """A text cell's style: right-aligned when it holds Arabic script (Persian), left-aligned
    when it holds other letters (Latin), none for the rest (digits, signs, empty).

    Examples
    --------
    >>> _alignment("شهرک صنعتی 2"), _alignment("seed:L1708"), _alignment("1400")
    (' s="2"', ' s="3"', '')
    """
    if _ARABIC_SCRIPT.search(text):
        return _RIGHT
    return _LEFT if _LETTER.search(text) else ""


def _write_shared_strings(out: IO[bytes], strings: dict[str, int], count: int) -> None:
    out.write(
        f'{_DECL}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{len(strings)}">'.encode()
    )
    parts: list[str] = []
    for i, text in enumerate(strings, start=1):
        escaped = escape_text(text)
        if escaped[:1].isspace() or escaped[-1:].isspace():
            parts.append(f'<si><t xml:space="preserve">{escaped}</t></si>')
        else:
            parts.append(f"<si><t>{escaped}</t></si>")
        if not i % 2000:
            out.write("".join(parts).encode("utf-8"))
            parts.clear()
    parts.append("</sst>")
    out.write("".join(parts).encode("utf-8"))


def _excel_width(width: float) -> str:
    """A width in characters as Excel stores it (XlsxWriter's conversion: 7-pixel digits and
    5 pixels of padding, in 1/256 of a character)."""
    if width <= 0:
        return "0"
    pixels = int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5
    return _num(int(pixels / 7 * 256) / 256)


def _num(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _content_types(n_sheets: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f"{sheets}"
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"
    )


def _package_rels() -> str:
    return (
        f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )


def _workbook_rels(n_sheets: int) -> str:
    rels = [
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    ]
    rels.append(f'<Relationship Id="rId{n_sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
    rels.append(
        f'<Relationship Id="rId{n_sheets + 2}" Type="{_REL}/sharedStrings" '
        'Target="sharedStrings.xml"/>'
    )
    return f'<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'


def _workbook(sheets: Sequence[Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{_attr(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_attr(_quote_sheet(s.name))}!$A$1:${column_letter(len(s.header) - 1)}"
        f"${s.n_rows + 1}</definedName>"
        for i, s in enumerate(sheets)
        if s.header
    ) + "".join(  # the header row printed on every page
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{_attr(_quote_sheet(s.name))}!$1:$1</definedName>"
        for i, s in enumerate(sheets)
        if s.header
    )
    return (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><fileVersion appName="xl" lastEdited="4" '
        'lowestEdited="4" rupBuild="4505"/><workbookPr/><bookViews><workbookView xWindow="240" '
        'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        f"<sheets>{entries}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _attr(text: str) -> str:
    return escape_text(text).replace('"', "&quot;")


def _styles(number_formats: list[str]) -> str:
    """Fonts (normal, bold), fills (none, gray125, the header's tint), the default cell, the
    header cell, right- and left-aligned text and one cell format per number format, in the
    order the cells first used them.
    """
    num_fmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{_attr(code)}"/>'
        for i, code in enumerate(number_formats)
    )
    xfs = "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for i in range(len(number_formats))
    )
    text = "".join(  # right-aligned Persian (read right to left), left-aligned Latin
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
        f'<alignment horizontal="{side}" readingOrder="{order}"/></xf>'
        for side, order in (("right", 2), ("left", 1))
    )
    font = '<sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/>'
    return (
        f'<styleSheet xmlns="{_MAIN}">'
        + (f'<numFmts count="{len(number_formats)}">{num_fmts}</numFmts>' if num_fmts else "")
        + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
        f'<fgColor rgb="FF{HEADER_FILL}"/><bgColor indexed="64"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{2 + _TEXT_STYLES + len(number_formats)}">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
        f"{text}{xfs}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )

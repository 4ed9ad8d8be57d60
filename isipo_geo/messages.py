"""Messages in English and Persian, kept as data: one catalogue, ``data/messages/messages.csv``.

Each row is a ``key``, its ``kind`` (``flag``: a flag an accepted row carries; ``reason``: why a
row was rejected; ``error``, ``warning``) and its ``en`` and ``fa`` texts with ``{name}``
placeholders (str.format). :func:`message` gives a :class:`Message`: a ``str`` holding the
English text (so every caller, test and file that took the English string still does) with the
Persian text beside it in ``.fa``. :func:`flag_text` reads a flag (``province_spelling:Esfhan``)
in either language; :func:`bilingual` shows a message as ``--lang fa|en|both`` asks.

To add a message: add a row to the CSV (a new key, both texts with the same placeholders) and
call ``message("key", name=value)`` where the English string was; ``tests/test_messages.py``
checks every key has both texts with the same placeholders.
"""

from __future__ import annotations

import csv
import functools

from isipo_geo._paths import data_file
from isipo_geo.display import FA_DIGITS, LATIN_DIGITS

LANGS = ("both", "fa", "en")


class Message(str):
    """A message: the English text (the ``str`` itself), ``.fa`` its Persian and ``.key``."""

    fa: str
    key: str

    def __new__(cls, en: str, fa: str, key: str = "") -> Message:
        self = super().__new__(cls, en)
        self.fa = fa
        self.key = key
        return self

    def __reduce__(self):  # pickled (multiprocessing) with its Persian
        return (Message, (str(self), self.fa, self.key))


@functools.cache
def catalogue() -> dict[str, tuple[str, str, str]]:
    """The catalogue: key -> (English, Persian, kind)."""
    with data_file("messages", "messages.csv").open(encoding="utf-8", newline="") as f:
        return {r["key"]: (r["en"], r["fa"], r["kind"]) for r in csv.DictReader(f)}


def message(key: str, /, **values: object) -> Message:
    """The message ``key`` with ``values`` filled in both languages (a value that is itself a
    :class:`Message` fills the Persian text with its Persian).

    Raises ``KeyError`` for a key the catalogue lacks (a bug: add the row).

    Examples
    --------
    >>> m = message("name_empty")
    >>> str(m), m.fa
    ('the estate name is empty', 'نام شهرک خالی است')
    """
    try:
        en, fa, _ = catalogue()[key]
    except KeyError:
        raise KeyError(f"message {key!r} is not in data/messages/messages.csv") from None
    fa_values = {k: _persian_value(v) for k, v in values.items()}
    return Message(en.format(**values), fa.format(**fa_values), key)


_FA_DIGITS = str.maketrans(LATIN_DIGITS, FA_DIGITS)


def persian_digits(value: int | str) -> str:
    """A number's Latin digits (and ``,``, ``.``, ``-``) written as Persian ones.

    >>> persian_digits(1403), persian_digits("2–3")
    ('۱۴۰۳', '۲–۳')
    """
    return str(value).translate(_FA_DIGITS)


def numeral(text: object) -> Message:
    """A number written as text (a year, a range of rows) as a message value: the same text,
    in Persian digits in the Persian message.

    >>> message("note_year_stated", year=numeral("1403")).fa
    'سال اطلاعات ۱۴۰۳، چنان‌که بالای سرستون نوشته شده است'
    """
    return Message(str(text), persian_digits(str(text)))


def _persian_value(value: object) -> object:
    """A value as the Persian text shows it: a :class:`Message` its Persian, a count (an int)
    in Persian digits; text as it is (a file name, an id or a column keeps its digits)."""
    if type(value) is int:
        return persian_digits(value)
    return getattr(value, "fa", value) or value


def reason_of(exc: BaseException) -> str:
    """An exception's message, a :class:`Message` (with its Persian) when it was raised with one.
    """
    first = exc.args[0] if exc.args else ""
    return first if isinstance(first, Message) else str(exc)


def error_reason(exc: BaseException) -> str:
    """An error's message alone, to raise again located (``InputError(error_reason(exc),
    path=…, row=…)``): an :class:`isipo_geo.errors.InputError`'s reason, a province error's
    catalogue message, else :func:`reason_of` (a plain string when it has no Persian)."""
    from isipo_geo.errors import AmbiguousProvinceError, InputError, ProvinceNotFoundError

    if isinstance(exc, InputError):
        return exc.reason
    if isinstance(exc, ProvinceNotFoundError | AmbiguousProvinceError):
        return province_message(exc)
    return reason_of(exc)


def prefixed(prefix: str, text: str) -> str:
    """``prefix`` then ``text`` (a reason that continues the cell as written: ``'12,5' is
    ambiguous…``), in both languages when ``text`` is a :class:`Message`."""
    fa = persian(text)
    if not fa:
        return f"{prefix} {text}"
    return Message(f"{prefix} {text}", f"{prefix} {fa}", getattr(text, "key", ""))


def persian(text: str) -> str:
    """The Persian of a message (``""`` for plain English text)."""
    return getattr(text, "fa", "")


def bilingual(text: str, lang: str = "both", *, fa: str | None = None) -> str:
    """A message as ``--lang`` asks: ``en``, ``fa`` (English when there is no Persian), or
    ``both`` (``English / Persian``). ``fa`` gives the Persian of a plain string (a rejects
    table's ``reason_fa``); a :class:`Message` carries its own."""
    fa = persian(text) if fa is None else fa
    if lang == "en" or not fa or fa == text:
        return str(text)
    if lang == "fa":
        return fa
    return f"{text} / {fa}"


def flag_text(flag: str, lang: str = "both") -> str:
    """A flag as a reader reads it: ``province_spelling:Esfhan`` -> its sentence with the
    detail, in ``lang`` (``both``: the flag's code, then the Persian sentence). A flag the
    catalogue lacks is shown as it is."""
    name, _, detail = flag.partition(":")
    entry = catalogue().get(name)
    if entry is None:
        return flag
    if detail:
        en, fa = (t.format(detail=detail) for t in entry[:2])
    else:  # a flag's name alone (a count of flags): its sentence without the detail
        en, fa = (" ".join(t.format(detail="").split()).rstrip(":؛ ") for t in entry[:2])
    if lang == "en":
        return en
    if lang == "fa":
        return fa
    return f"{flag} ({fa})"


def persian_error(exc: BaseException) -> str:
    """The Persian of an error's message, located as its English is (``file، سطر ۱۲، ستون
    'lat': …``). An error raised with plain English text (no :class:`Message` from the
    catalogue) says it is not yet translated.

    >>> from isipo_geo.errors import InputError
    >>> persian_error(InputError("x", path="r.csv", row=3))
    'r.csv، سطر ۳: (این پیام هنوز ترجمه نشده است؛ متن انگلیسی را ببینید)'
    """
    from isipo_geo.errors import AmbiguousProvinceError, InputError, ProvinceNotFoundError

    if isinstance(exc, InputError):
        fa = persian(exc.reason) or message("untranslated").fa
        where = [] if exc.path is None else [str(exc.path)]
        if exc.row is not None:
            where.append(message("where_row", row=exc.row).fa)
        if exc.column is not None:
            where.append(message("where_column", column=repr(exc.column)).fa)
        return f"{'، '.join(where)}: {fa}" if where else fa
    if isinstance(exc, ProvinceNotFoundError | AmbiguousProvinceError):
        return province_message(exc).fa
    return persian(reason_of(exc)) or message("untranslated").fa


def is_translated(exc: BaseException) -> bool:
    """Whether an error's message has its Persian text (raised with a message, or a province
    that matched none or several)."""
    from isipo_geo.errors import AmbiguousProvinceError, InputError, ProvinceNotFoundError

    if isinstance(exc, ProvinceNotFoundError | AmbiguousProvinceError):
        return True
    return bool(persian(exc.reason if isinstance(exc, InputError) else reason_of(exc)))


def province_message(exc: BaseException) -> Message:
    """A province error (:class:`isipo_geo.errors.ProvinceNotFoundError` or
    ``AmbiguousProvinceError``) as the catalogue's message, in both languages."""
    keys = getattr(exc, "keys", None)
    if keys is not None:
        return message("province_ambiguous", value=repr(exc.text), keys=", ".join(keys))
    names = ", ".join(exc.candidates)  # type: ignore[attr-defined]
    return message("province_unknown", value=repr(exc.text),  # type: ignore[attr-defined]
                   hint=f"; did you mean: {names}?" if names else "",
                   hint_fa=f"؛ آیا منظورتان {names} است؟" if names else "")

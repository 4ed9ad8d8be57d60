"""Funding rows: one read-only mapping per scope × province (× estate) × utility, with the keys
of :data:`OUTPUT_COLUMNS`, as :func:`isipo_geo.finance.funding_rows` returns them.

A :class:`FundingRow` reads as the dict it replaces (``row["need"]``, ``row.get``, ``keys``,
``items``, ``dict(row)``, ``{**row}``, equality with a dict of the same items), but it is not
one: it cannot be changed in place, and ``row | {...}`` gives a new dict (how the connection and
range columns are added). Why not dicts: a registry of 84,400 estates gives 151,800 rows; as
dicts of 19 keys, each with its own ``source`` text, they held 120 MB (70 MB of dicts at 464
bytes, 50 MB of ~330-byte sources, tracemalloc). As rows of 14 slots (144 bytes) that share
their utility's :class:`Costing` and hold their source's two parts apart (the registry row's
citation, shared by the estate's utilities, and the cost's), 22 MB and 7 MB of citations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple

OUTPUT_COLUMNS = [
    "scope",
    "province",
    "province_fa",
    "estate_id",
    "estate_name_fa",
    "utility",
    "scenario",
    "deficit",
    "deficit_unit",
    "unit_cost",
    "unit_cost_unit",
    "need",
    "currency",
    "scale",
    "basis",
    "year",
    "cost_case",
    "source",
    "note",
]

# What every row of a utility shares (its costing): one tuple for all of them, 7 slots fewer a row
_COSTING = ("scenario", "unit_cost", "unit_cost_unit", "currency", "scale", "cost_case")


class Costing(NamedTuple):
    """What every row of one utility shares (:func:`costed_row`): its scenario, unit cost and
    its unit, currency, scale and cost case (as :class:`FundingRow`'s parameters), and what
    the rows' sources cite after their own (``"; unit cost <the cost's source>"``)."""

    scenario: str
    unit_cost: Any
    unit_cost_unit: str
    currency: str
    scale: str
    cost_case: str
    cited: str


# each key's place: a slot of the row, a field of its costing, or (source) a property
_PATHS = {c: f"_costing.{c}" if c in _COSTING else c for c in OUTPUT_COLUMNS}
_GETTERS = {c: attrgetter(path) for c, path in _PATHS.items()}
_ALL = attrgetter(*_PATHS.values())
_FIELDS = (
    "scope", "province", "province_fa", "estate_id", "estate_name_fa", "utility", "deficit",
    "deficit_unit", "need", "basis", "year", "_source", "note", "_costing",
)


class FundingRow(Mapping):
    """One funding row: a read-only mapping of the keys of :data:`OUTPUT_COLUMNS`.

    It behaves as the dict of its items (``dict(row)``, ``{**row}``, ``row.get(key)``,
    ``row.keys()``, ``row.items()``; ``row == dict(row)``), in the order of
    :data:`OUTPUT_COLUMNS`; ``row | {...}`` (and ``{...} | row``) gives a new dict. What every
    row of a utility shares (scenario, unit cost and its unit, currency, scale, cost case) is
    held once for all of them, and ``source`` is the row's own source followed by ``cited``
    (e.g. ``"; unit cost seed:L1708"``), joined when read. ``attribute_paths`` says where
    each key is held, for readers of many rows (:func:`operator.attrgetter`). The values are
    as :func:`isipo_geo.finance.funding_rows` describes them.

    Parameters
    ----------
    scope : str
        ``nation``, ``province`` or ``estate``.
    province : str
        Province key (``''`` for the nation).
    province_fa : str
        The province's Persian name.
    estate_id : str
        The estate's registry id (estate rows), else ``''``.
    estate_name_fa : str
        The estate's Persian name (estate rows), else ``''``.
    utility : str
        Utility key (``water``, ``power``, ..., ``total``).
    scenario : str
        The scenario's name.
    deficit : Decimal or None
        The deficit, in ``deficit_unit``.
    deficit_unit : str
        ``lps`` (litres per second), ``mw`` (megawatts), ``km``, ... (``''`` for a total).
    unit_cost : Decimal or None
        The unit cost, in ``unit_cost_unit``; None without a cost basis.
    unit_cost_unit : str
        E.g. ``'bn toman per L/s'``.
    need : Decimal or None
        The need, in ``currency`` × ``scale``; None without a cost basis (never 0).
    currency : str
        ``toman`` or ``rial``.
    scale : str
        ``billion``, ``million`` or ``one``.
    basis : str
        ``reported``, ``derived``, ``allocated:<key>``, ``registry`` or ``mixed:...``.
    year : str
        Jalali year of the figure; ``''`` when unknown.
    cost_case : str
        ``central``, ``low`` or ``high``.
    source : str
        Where the figure comes from (report lines, a registry's file and row).
    note : str
        How the figure was obtained, when not plain.
    cited : str
        What ``source`` reads followed by (``"; unit cost <the cost's source>"``; ``""``:
        nothing).

    Examples
    --------
    >>> from decimal import Decimal
    >>> row = FundingRow("nation", "", "", "", "", "water", "essential", Decimal(2300), "lps",
    ...                  Decimal("2.5"), "bn toman per L/s", Decimal(5750), "toman", "billion",
    ...                  "reported", "1400", "central", "seed:L1708", "",
    ...                  cited="; unit cost seed:L1710")
    >>> row["source"], row.get("component", "gap")
    ('seed:L1708; unit cost seed:L1710', 'gap')
    >>> (row | {"component": "gap"})["component"], row == dict(row)
    ('gap', True)
    """

    __slots__ = _FIELDS
    _order = OUTPUT_COLUMNS  # the order of the keys (a class's, not a row's)
    attribute_paths = MappingProxyType(_PATHS)

    def __init__(
        self,
        scope: str,
        province: str,
        province_fa: str,
        estate_id: str,
        estate_name_fa: str,
        utility: str,
        scenario: str,
        deficit: Any,
        deficit_unit: str,
        unit_cost: Any,
        unit_cost_unit: str,
        need: Any,
        currency: str,
        scale: str,
        basis: str,
        year: str,
        cost_case: str,
        source: str,
        note: str,
        cited: str = "",
    ) -> None:
        shared = Costing(scenario, unit_cost, unit_cost_unit, currency, scale, cost_case, cited)
        self._fill(
            scope, province, province_fa, estate_id, estate_name_fa, utility, deficit,
            deficit_unit, need, basis, year, source, note, shared,
        )

    def _fill(
        self, scope, province, province_fa, estate_id, estate_name_fa, utility, deficit,
        deficit_unit, need, basis, year, source, note, costing,
    ) -> None:
        # plain slot stores: 4x faster than object.__setattr__ (0.16 s against 0.63 s for
        # 151,800 rows), so the row is read-only as a mapping (no __setitem__), not frozen
        self.scope = scope
        self.province = province
        self.province_fa = province_fa
        self.estate_id = estate_id
        self.estate_name_fa = estate_name_fa
        self.utility = utility
        self.deficit = deficit
        self.deficit_unit = deficit_unit
        self.need = need
        self.basis = basis
        self.year = year
        self._source = source
        self.note = note
        self._costing = costing

    @property
    def source(self) -> str:
        """Where the figure comes from: the row's own source and what it cites after it."""
        return self._source + self._costing.cited

    def __getitem__(self, key: str) -> Any:
        read = _GETTERS.get(key)
        if read is None:
            raise KeyError(key)
        return read(self)

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, ``default`` when the row has no such key (as ``dict.get``).

        Parameters
        ----------
        key : str
            A key of :data:`OUTPUT_COLUMNS`.
        default : object
            What a key the row lacks gives.

        Returns
        -------
        object
            The value, or ``default``.
        """
        read = _GETTERS.get(key)
        return default if read is None else read(self)

    def __contains__(self, key: object) -> bool:
        return key in _GETTERS

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(OUTPUT_COLUMNS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FundingRow):
            return _ALL(self) == _ALL(other)
        if isinstance(other, Mapping):
            return dict(self) == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dict's

    def __or__(self, other: object) -> dict:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {**self, **other}

    def __ror__(self, other: object) -> dict:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {**other, **self}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self)!r})"

    def __reduce__(self) -> tuple:
        return _restore, (type(self), tuple(getattr(self, f) for f in _FIELDS))


class _TotalRow(FundingRow):
    """A ``total`` row (:func:`isipo_geo.finance.add_totals`): its keys in the order the dict
    total rows had them (``scenario`` fourth), so the rows' digests and tables read as before
    (tests/finance/test_funding_golden.py)."""

    __slots__ = ()
    _order = [*OUTPUT_COLUMNS[:3], "scenario", *(c for c in OUTPUT_COLUMNS[3:] if c != "scenario")]


def _restore(kind: type[FundingRow], fields: tuple) -> FundingRow:
    """A row from its pickled fields (:meth:`FundingRow.__reduce__`)."""
    row = object.__new__(kind)
    row._fill(*fields)
    return row


def costed_row(
    shared: Costing, scope, province, province_fa, estate_id, estate_name_fa, utility,
    deficit, deficit_unit, need, basis, year, source, note,
) -> FundingRow:
    """A :class:`FundingRow` holding ``shared`` (a :class:`Costing`) with every other row of its
    utility: 14 slots a row, 144 bytes (151,800 rows of 84,400 estates: 22 MB; with the
    costing's 7 values in each row 29 MB)."""
    row = object.__new__(FundingRow)
    row._fill(
        scope, province, province_fa, estate_id, estate_name_fa, utility, deficit, deficit_unit,
        need, basis, year, source, note, shared,
    )
    return row

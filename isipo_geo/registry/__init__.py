"""The estate registry: its schema, the shipped registry, and the planner's own registries.

- :mod:`~isipo_geo.registry.schema` — the registry's columns and vocabularies;
- :mod:`~isipo_geo.registry.estates` — load a registry (shipped or the user's) as a GeoDataFrame;
- :mod:`~isipo_geo.registry.gazetteer` — towns from GeoNames, to place an estate at its town;
- :mod:`~isipo_geo.registry.counties` — OSM counties (ODbL) and the one placing rule: the town
  inside the stated county, else the county's point, else the province's;
- :mod:`~isipo_geo.registry.identity` — the name fold that merges spellings of one estate;
- :mod:`~isipo_geo.registry.importer` — read, validate, locate and accept or reject a user's rows,
  helped by ``_tables`` (reading CSV/XLSX/GIS files), ``_headers`` (header aliases and units),
  ``_values`` (numbers, digits, units), ``_fields`` (one field per cell) and ``_locate``
  (coordinates, UTM, towns);
- :mod:`~isipo_geo.registry.batch` — many files (and sheets) imported at once, with the checks
  across them (the same estate twice, one id for two estates, a point in another file's province);
- :mod:`~isipo_geo.registry.store` — the registry store: one GeoPackage with the current registry,
  every version of every row and every submission; diffs and the registry at any date;
- :mod:`~isipo_geo.registry.template` — the blank workbook the provinces fill in.

May import only the base modules (errors, io, names, provinces, _paths); never report, finance,
maps, raster, units or the CLI.

Other packages use the registry's public modules, and three readers named here:
:func:`read_table` (a CSV, XLSX or GIS file as rows of cells, as ``import`` reads it; an ODS
file is refused with the fix), :func:`parse_number` (a cell as a number: Persian digits,
separators, units) and
:func:`is_missing` (an empty cell, or one of the words that mean "no value"). They are loaded
when first asked for, so importing a registry module stays light.
"""

_PUBLIC = {"read_table": "_tables", "parse_number": "_values", "is_missing": "_values"}
__all__ = list(_PUBLIC)


def __getattr__(name: str) -> object:
    """The public readers of :data:`_PUBLIC`, imported when first used (PEP 562)."""
    if name in _PUBLIC:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

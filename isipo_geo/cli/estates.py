"""``isipo-geo estates``: list the registry's estates (all, one province's, one kind's)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._options import registry_option


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _json_rows(df) -> list[dict]:
    import pandas as pd

    rows = []
    for rec in df.astype(object).where(df.notna(), None).to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if v is None or v is pd.NA or v == "":
                clean[k] = None
            elif isinstance(v, float) and v.is_integer() and k in ("status_year", "geonames_id"):
                clean[k] = int(v)
            elif hasattr(v, "item"):
                clean[k] = v.item()
            else:
                clean[k] = v
        clean["source"] = (clean.get("source") or "").split(" | ") if clean.get("source") else []
        rows.append(clean)
    return rows


@app.command()
@handles_errors
def estates(
    province: Annotated[
        str | None,
        typer.Argument(
            help="A province in any spelling («اصفهان», Isfahan, IR-10); all when omitted."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only one kind: industrial_estate, industrial_zone, special_economic_zone, "
            "technology_estate, specialised_estate, guild_estate, private_estate, free_zone, "
            "industrial_city, other — or a Persian word («ناحیه صنعتی»).",
        ),
    ] = None,
    fmt: Annotated[
        ListFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (for reading), csv (every column; UTF-8 with BOM for Excel) or json "
            "(sources as a list of addresses).",
        ),
    ] = ListFormat.table,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            "-n",
            help="Only the estate of this name, in any spelling its sources give (merged "
            "spellings, old names, digits or words: «چهار کرمان» finds «شماره 4 کرمان»).",
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        registry_option("Its estates are listed (default: the shipped registry).",
                        "--registry", "-r"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write csv/json to this file instead of the screen."),
    ] = None,
) -> None:
    """The estates, zones and SEZs of the registry / فهرست شهرک‌ها و نواحی صنعتی.

    The shipped registry holds the estates the 1400 report names and every estate public
    sources name (news agencies, provincial companies, cabinet decrees), each with its
    sources' addresses; `operator` says who runs it (isipo, private, guild, free_zone,
    other_body, unknown) — only ISIPO's are among the report's 844. Locations are the town's
    (GeoNames), the county's (OpenStreetMap) or the province's, never the estate's own: see
    `location_precision`.

    Examples: isipo-geo estates اصفهان; isipo-geo estates Qom --kind zone;
    isipo-geo estates --format csv --out estates.csv
    """
    from isipo_geo.registry.estates import list_estates

    df = list_estates(province, kind=kind, name=name, registry=registry)
    if fmt is ListFormat.table:
        _print(df, province)
        return
    if fmt is ListFormat.csv:
        from isipo_geo.tables import neutralise_frame

        text = neutralise_frame(df).to_csv(index=False, lineterminator="\n")
        encoding = "utf-8-sig"
    else:
        text = json.dumps(_json_rows(df), ensure_ascii=False, indent=2) + "\n"
        encoding = "utf-8"
    if out is None:
        typer.echo(text, nl=False)
        return
    from isipo_geo.io import atomic_write

    with atomic_write(out, encoding=encoding, newline="") as f:
        f.write(text)
    typer.echo(f"wrote {len(df)} estates to {out}")


def _print(df, province: str | None) -> None:
    from isipo_geo.cli import _console
    from isipo_geo.labels import KIND_LABELS, PRECISION_LABELS, STATUS_LABELS

    def label(table, key) -> str:
        return table.get(key, (key, key))[0] if key else ""

    show = df[["name_fa", "province", "county"]].copy()
    show.insert(1, "نوع / kind", [label(KIND_LABELS, k) for k in df["kind"]])
    years = df["status_year"].astype(object).where(df["status_year"].notna(), None)
    show["وضعیت / status"] = [
        label(STATUS_LABELS, s) + (f" ({int(y)})" if y is not None else "")
        for s, y in zip(df["status"], years, strict=True)
    ]
    show["operator"] = df["operator"]
    show["موقعیت / located at"] = [label(PRECISION_LABELS, p) for p in df["location_precision"]]
    show["sources"] = [len(s.split(" | ")) if s else 0 for s in df["source"]]
    title = f"{len(df)} شهرک / estates" + (f" — {province}" if province else "")
    _console.print_table(show.rename(columns={"name_fa": "نام / name"}), title=title)
    typer.echo(
        "  --format csv or json for every column (sources' addresses, area, utilities stated "
        "with their year, GeoNames id, notes)."
    )

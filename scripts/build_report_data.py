"""Build data/report/indicators.csv: the 1400 report's figures, one row per figure.

Usage (a maintainer runs it; nothing at run time reads the seed)::

    python scripts/build_report_data.py ../shared/seed/000_dd0ab854e6a26b3b.txt

Every value is read from the seed at the line its ``source`` names (``seed:L<n>``: the number is
on line n; ``seed:L<n>;L<m>``: the label is on line m too; ``seed:L<a>-L<b>``: a table range, for
figures counted or summed from a table, which the note says). Tables are parsed with code
(``scripts/_seed.py``) and checked against the totals the report prints; where the report
contradicts itself both statements are kept and the ``conflict`` column says why. The script
fails loudly when the seed is not what it expects, and writes identical bytes on every run.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _seed  # noqa: E402
from _seed import SeedError, half_up, numbers  # noqa: E402

from isipo_geo.io import atomic_write  # noqa: E402
from isipo_geo.names import fold  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "report" / "indicators.csv"

COLUMNS = (
    "indicator",
    "scope",
    "province",
    "estate_id",
    "value",
    "unit",
    "year",
    "kind",
    "label_fa",
    "label_en",
    "source",
    "note",
    "conflict",
)


class Builder:
    """Collects indicator rows; every value is read from a seed line and checked there."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.rows: list[dict[str, str]] = []

    def number(self, line: int, index: int, *, word: str | None = None) -> float:
        """The index-th number on a line; ``word`` must also be on it (a guard against a
        shifted seed)."""
        text = self.lines[line - 1]
        if word is not None and fold(word) not in fold(text):
            raise SeedError(f"line {line}: expected {word!r} on it: {text!r}")
        vals = numbers(text)
        if index >= len(vals):
            raise SeedError(f"line {line}: no number #{index} in {text!r}")
        return vals[index]

    def add(
        self,
        indicator: str,
        value: float,
        *,
        unit: str,
        kind: str,
        label_fa: str,
        label_en: str,
        source: str,
        year: int = 1400,
        scope: str = "nation",
        province: str = "",
        estate_id: str = "",
        note: str = "",
        conflict: str = "",
    ) -> float:
        self.rows.append(
            {
                "indicator": indicator,
                "scope": scope,
                "province": province,
                "estate_id": estate_id,
                "value": _fmt(value),
                "unit": unit,
                "year": str(year),
                "kind": kind,
                "label_fa": label_fa,
                "label_en": label_en,
                "source": source,
                "note": note,
                "conflict": conflict,
            }
        )
        return value

    def fig(
        self,
        indicator: str,
        line: int,
        index: int,
        *,
        word: str | None = None,
        label_line: int | None = None,
        **kw,
    ) -> float:
        """Add the index-th number of ``line``; the source is that line (and the label's)."""
        value = self.number(line, index, word=word)
        source = f"seed:L{line}" + (f";L{label_line}" if label_line else "")
        return self.add(indicator, value, source=source, **kw)

    def plan_actual(
        self,
        stem: str,
        line: int,
        *,
        word: str,
        unit: str,
        label_fa: str,
        label_en: str,
        order: str = "pct actual plan prev",
        note: str = "",
        pct_note: str = "",
        cum_indicator: str = "",
    ) -> None:
        """A row of the report's 'عملکرد 1399 / برنامه 1400 / عملکرد 1400 / درصد تحقق' tables,
        stored right-to-left: % achieved, 1400 actual, 1400 plan, 1399 actual. ``prev`` may be
        missing (``order`` without it) or be a cumulative figure (``order`` with ``cum``)."""
        fields = order.split()
        vals = {f: self.number(line, i, word=word) for i, f in enumerate(fields)}
        src = f"seed:L{line}"
        if "prev" in vals:
            self.add(
                f"{stem}",
                vals["prev"],
                unit=unit,
                kind="actual",
                year=1399,
                label_fa=label_fa + " (عملکرد ۱۳۹۹)",
                label_en=label_en + " (1399 actual)",
                source=src,
                note=note,
            )
        if "cum" in vals:
            self.add(
                cum_indicator,
                vals["cum"],
                unit=unit,
                kind="count",
                label_fa=label_fa + " (تا پایان ۱۴۰۰)",
                label_en=label_en + " (to end of 1400)",
                source=src,
                note="cumulative to the end of 1400" + (f"; {note}" if note else ""),
            )
        self.add(
            stem,
            vals["plan"],
            unit=unit,
            kind="plan",
            label_fa=label_fa + " (برنامه ۱۴۰۰)",
            label_en=label_en + " (1400 plan)",
            source=src,
            note=note,
        )
        self.add(
            stem,
            vals["actual"],
            unit=unit,
            kind="actual",
            label_fa=label_fa + " (عملکرد ۱۴۰۰)",
            label_en=label_en + " (1400 actual)",
            source=src,
            note=note,
        )
        computed = half_up(100 * vals["actual"] / vals["plan"])
        conflict = ""
        if computed != vals["pct"]:
            conflict = (
                f"the report prints {_fmt(vals['pct'])} % but its own plan "
                f"{_fmt(vals['plan'])} and actual {_fmt(vals['actual'])} give {computed} %"
            )
        base = stem.removesuffix("_count").removesuffix(f"_{unit}")
        self.add(
            f"{base}_achieved_pct",
            vals["pct"],
            unit="pct",
            kind="achieved",
            label_fa=label_fa + " — درصد تحقق",
            label_en=label_en + " — % of plan achieved",
            source=src,
            note=pct_note,
            conflict=conflict,
        )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def build(lines: list[str]) -> list[dict[str, str]]:
    b = Builder(lines)

    # --- counts (L70-L79) ---------------------------------------------------------------
    estates = b.fig(
        "estates_operational_count",
        70,
        0,
        label_line=71,
        unit="estates",
        kind="count",
        label_fa="شهرک‌های صنعتی بهره‌بردار",
        label_en="Industrial estates in operation",
    )
    zones = b.fig(
        "zones_operational_count",
        73,
        0,
        label_line=74,
        unit="estates",
        kind="count",
        label_fa="نواحی صنعتی بهره‌بردار",
        label_en="Industrial zones in operation",
    )
    sez_rows = _seed.parse_sez(lines)
    sez_listed = [r for r in sez_rows if r.status == "operational"]
    sez_range = f"seed:L{sez_rows[0].line}-L{sez_rows[-1].line}"
    sezs = b.fig(
        "sez_operational_count",
        76,
        0,
        label_line=77,
        unit="estates",
        kind="count",
        label_fa="مناطق ویژه اقتصادی بهره‌بردار",
        label_en="Special economic zones in operation",
        conflict=(
            f"the SEZ table ({sez_range}) lists {len(sez_listed)} zones as in operation "
            "(به بهره‌برداری رسیده)"
        ),
    )
    total = b.fig(
        "total_operational_count",
        79,
        0,
        word="جمع",
        unit="estates",
        kind="count",
        label_fa="جمع کل شهرک، ناحیه و منطقه ویژه اقتصادی بهره‌بردار",
        label_en="Estates, zones and SEZs in operation, in all",
        note="= 505 estates + 335 zones + 4 SEZs (L70-L77)",
    )
    if estates + zones + sezs != total:
        raise SeedError(f"{estates} + {zones} + {sezs} != {total}")
    b.add(
        "sez_listed_operational_count",
        len(sez_listed),
        unit="estates",
        kind="count",
        label_fa="مناطق ویژه اقتصادی «به بهره‌برداری رسیده» در جدول مناطق",
        label_en="SEZs listed as in operation in the SEZ table",
        source=sez_range,
        note=(
            "counted: rows 1-5 of the SEZ table fall under the status 'به بهره برداری رسیده' "
            f"(L{sez_listed[0].status_line - 1}-L{sez_listed[0].status_line})"
        ),
        conflict=f"the count of SEZs in operation (L76) is {_fmt(sezs)}",
    )
    b.fig(
        "sez_assigned_count",
        558,
        0,
        word="منطقه",
        unit="estates",
        kind="count",
        label_fa="مناطق ویژه اقتصادی مصوب سپرده به سازمان",
        label_en="Approved SEZs assigned to ISIPO",
        note="by the end of 1400; 5 in operation and 4 approved (under construction) in the "
        "SEZ table",
    )

    # --- land and estate development in 1400 (L233-L239) -------------------------------
    b.plan_actual(
        "estates_approved_count",
        233,
        word="مصوب",
        unit="estates",
        order="pct actual plan",
        label_fa="شهرک و ناحیه صنعتی مصوب",
        label_en="Estates and zones approved",
    )
    b.plan_actual(
        "land_added_ha",
        235,
        word="اختیار",
        unit="ha",
        order="pct actual plan",
        label_fa="افزودن زمین به اراضی در اختیار",
        label_en="Land added to the land held",
    )
    b.plan_actual(
        "operational_phase_added_ha",
        237,
        word="عملیاتی",
        unit="ha",
        order="pct actual plan",
        label_fa="ایجاد فاز عملیاتی",
        label_en="Operational phase created",
    )
    b.plan_actual(
        "industrial_land_added_ha",
        239,
        word="صنعتی",
        unit="ha",
        order="pct actual plan",
        label_fa="ایجاد زمین صنعتی",
        label_en="Industrial land created",
    )

    # --- water (L307-L309, L1702-L1714) ---------------------------------------------------
    b.plan_actual(
        "water_supply_added_lps",
        307,
        word="تامین شده",
        unit="lps",
        label_fa="آب تأمین‌شده برای فاز عملیاتی",
        label_en="Water supply added for operational phases",
    )
    b.plan_actual(
        "water_reclaimed_lps",
        309,
        word="احیا",
        unit="lps",
        label_fa="آب احیاشده برای فاز عملیاتی",
        label_en="Water reclaimed for operational phases",
    )
    supplied = b.fig(
        "water_supplied_estates_count",
        1702,
        1,
        word="آب دار",
        unit="estates",
        kind="count",
        label_fa="شهرک و ناحیه صنعتی بهره‌بردار دارای آب",
        label_en="Estates and zones in operation with water",
        note="of the 844 in operation, by the end of 1400",
    )
    pct = b.fig(
        "water_supplied_share_pct",
        1703,
        0,
        word="درصد",
        unit="pct",
        kind="share",
        label_fa="سهم شهرک‌های بهره‌بردار دارای آب",
        label_en="Share of estates in operation with water",
    )
    if half_up(100 * supplied / total) != pct:
        raise SeedError("water: 835 / 844 does not round to the printed %")
    water_def = b.fig(
        "water_deficit_essential_lps",
        1708,
        0,
        word="ضروری",
        unit="lps",
        kind="deficit",
        label_fa="کسری آب ضروری میان‌مدت",
        label_en="Essential mid-term water deficit",
        note="ميزان آب ضروري براي ميان مدت: the water the report calls essential for the mid term",
    )
    water_cost = b.fig(
        "water_deficit_essential_cost_bn_toman",
        1710,
        0,
        word="ضروری",
        unit="bn_toman",
        kind="need",
        label_fa="اعتبار مورد نیاز برای تأمین کسری آب ضروری",
        label_en="Funds needed for the essential water deficit",
    )
    b.fig(
        "water_deficit_whole_cost_bn_toman",
        1706,
        0,
        word="کل اعتبار",
        unit="bn_toman",
        kind="need",
        label_fa="کل اعتبار مورد نیاز برای تأمین کسری آب",
        label_en="Funds needed for the whole water deficit",
        note="the report does not state the whole deficit in L/s",
    )
    water_unit = b.fig(
        "water_unit_cost_bn_toman_per_lps",
        1714,
        0,
        word="تومان",
        label_line=1712,
        unit="bn_toman_per_lps",
        kind="unit_cost",
        label_fa="اعتبار مورد نیاز برای تأمین یک لیتر بر ثانیه آب",
        label_en="Cost of one litre per second of water supply",
    )
    if water_def * water_unit != water_cost:
        raise SeedError("water: deficit x unit cost != cost of the essential deficit")

    # --- power (L361-L382, L1715-L1728) ---------------------------------------------------
    b.plan_actual(
        "power_supply_added_mw",
        361,
        word="مگا وات",
        unit="mw",
        label_fa="برق تأمین‌شده برای فاز عملیاتی",
        label_en="Power supply added for operational phases",
    )
    b.plan_actual(
        "power_renewable_added_kw",
        363,
        word="تجدید",
        unit="kw",
        label_fa="برق تأمین‌شده از منابع تجدیدپذیر",
        label_en="Power supplied from renewable sources",
        note="the report gives this in kW (كيلو وات)",
    )
    b.fig(
        "power_small_scale_generation_mw",
        382,
        1,
        word="مقیاس",
        unit="mw",
        kind="actual",
        label_fa="تأمین برق از مولدهای مقیاس کوچک",
        label_en="Power from small-scale generators",
        note="cumulative to the end of 1400",
    )
    b.fig(
        "power_supplied_estates_count",
        1715,
        0,
        word="برق",
        unit="estates",
        kind="count",
        label_fa="شهرک و ناحیه صنعتی بهره‌بردار دارای برق",
        label_en="Estates and zones in operation with power",
        note="all 844 in operation (کلیه)",
    )
    b.fig(
        "power_need_met_pct",
        1727,
        0,
        word="برق",
        label_line=1728,
        unit="pct",
        kind="share",
        label_fa="درصد برق مورد نیاز تأمین‌شده",
        label_en="Share of the power need met",
    )
    power_def = b.fig(
        "power_deficit_essential_mw",
        1719,
        0,
        word="ضروری",
        unit="mw",
        kind="deficit",
        label_fa="کسری برق ضروری میان‌مدت",
        label_en="Essential mid-term power deficit",
        note="ميزان برق ضروري در ميان مدت",
    )
    power_cost = b.fig(
        "power_deficit_essential_cost_bn_toman",
        1721,
        0,
        word="ضروری",
        unit="bn_toman",
        kind="need",
        label_fa="اعتبار مورد نیاز برای تأمین کسری برق ضروری",
        label_en="Funds needed for the essential power deficit",
    )
    b.fig(
        "power_deficit_whole_cost_bn_toman",
        1717,
        0,
        word="کل اعتبار",
        unit="bn_toman",
        kind="need",
        label_fa="کل اعتبار مورد نیاز برای تأمین کسری برق",
        label_en="Funds needed for the whole power deficit",
        note="the report does not state the whole deficit in MW",
    )
    if "سه" not in lines[1725 - 1].split() and "داردسه" not in lines[1725 - 1]:
        raise SeedError("line 1725: expected the word سه (three)")
    power_unit = b.add(
        "power_unit_cost_bn_toman_per_mw",
        3,
        unit="bn_toman_per_mw",
        kind="unit_cost",
        label_fa="هزینه هر مگاوات برق (به طور میانگین)",
        label_en="Cost of one MW of power supply (average)",
        source="seed:L1725;L1723",
        note="about 3: the report writes it as a word, 'حدود سه ميليارد تومان' per MW 'on "
        "average' (بطور ميانگين)",
    )
    if power_def * power_unit != power_cost:
        raise SeedError("power: deficit x unit cost != cost of the essential deficit")

    # --- gas (L413-L456) --------------------------------------------------------------------
    gas = b.fig(
        "gas_supplied_estates_count",
        429,
        0,
        label_line=418,
        unit="estates",
        kind="count",
        label_fa="شهرک و ناحیه صنعتی دارای گاز",
        label_en="Estates and zones supplied with gas",
        note="of the 844 in operation (L427)",
    )
    gas_pct = b.fig(
        "gas_supplied_share_pct",
        433,
        0,
        label_line=434,
        unit="pct",
        kind="share",
        label_fa="نسبت شهرک‌ها و نواحی دارای گاز به بهره‌بردار",
        label_en="Share of estates in operation supplied with gas",
    )
    if half_up(100 * gas / b.number(427, 0)) != gas_pct:
        raise SeedError("gas: 685 / 844 does not round to the printed %")
    b.fig(
        "gas_consumption_million_m3_per_h",
        431,
        0,
        label_line=423,
        unit="million_m3_per_h",
        kind="actual",
        label_fa="میزان مصرف گاز",
        label_en="Gas consumption",
    )
    b.fig(
        "gas_pressure_reduction_stations_count",
        442,
        0,
        label_line=439,
        unit="stations",
        kind="count",
        label_fa="ایستگاه‌های تقلیل فشار گاز (TBS/CGS) احداث‌شده",
        label_en="Gas pressure-reduction stations (TBS/CGS) built",
    )
    b.plan_actual(
        "gas_estates_connected_count",
        456,
        word="گاز",
        unit="estates",
        label_fa="شهرک‌ها و نواحی صنعتی دارای گاز",
        label_en="Estates and zones connected to gas",
        note="estates connected in the year",
    )

    # --- telecom (L470-L472) ----------------------------------------------------------------
    b.plan_actual(
        "telecom_fixed_phone_estates_count",
        470,
        word="تلفن",
        unit="estates",
        label_fa="شهرک‌ها و نواحی صنعتی دارای تلفن ثابت",
        label_en="Estates and zones connected to fixed telephone",
        note="estates connected in the year",
    )
    b.plan_actual(
        "telecom_fibre_estates_count",
        472,
        word="فیبر",
        unit="estates",
        label_fa="شهرک‌ها و نواحی صنعتی دارای فیبر نوری",
        label_en="Estates and zones connected to optical fibre",
        note="estates connected in the year",
    )

    # --- wastewater treatment (L525-L546) ---------------------------------------------------
    b.plan_actual(
        "wwtp_estates_added_count",
        541,
        word="شهرک",
        unit="estates",
        order="pct actual plan cum",
        cum_indicator="wwtp_estates_count",
        label_fa="شهرک و ناحیه صنعتی دارای تصفیه‌خانه به بهره‌برداری رسیده",
        label_en="Estates and zones with a wastewater treatment plant commissioned",
    )
    b.plan_actual(
        "wwtp_modules_added_count",
        543,
        word="مدول",
        unit="modules",
        order="pct actual plan cum",
        cum_indicator="wwtp_modules_count",
        label_fa="مدول تصفیه‌خانه به بهره‌برداری رسیده",
        label_en="Wastewater treatment modules commissioned",
    )
    b.plan_actual(
        "wwtp_connected_units_count",
        546,
        word="متصل",
        unit="units",
        label_fa="واحدهای صنعتی متصل به تصفیه‌خانه",
        label_en="Industrial units connected to a treatment plant",
    )

    # --- infrastructure cost shares (L1783-L1799) -----------------------------------------
    cost_note = (
        "share of estate-building costs by item; the report gives no year and the "
        "slide says 'بروزرساني شود' (to be updated, L1803)"
    )
    items = (
        ("roads", 1785, "معابر", "شبکه معابر", "Road network"),
        ("power", 1787, "برق", "تأمین برق", "Power supply"),
        ("water", 1789, "آب", "تأمین آب", "Water supply"),
        (
            "wastewater",
            1791,
            "فاضلاب",
            "شبکه فاضلاب و تصفیه‌خانه",
            "Sewer network and treatment plant",
        ),
        ("gas", 1793, "گاز", "تأمین گاز", "Gas supply"),
        (
            "telecom",
            1795,
            "ارتباطات",
            "شبکه ارتباطات (فیبر نوری و تلفن)",
            "Telecom network (fibre and telephone)",
        ),
        ("other", 1797, "سایر", "سایر", "Other"),
    )
    cost_sum = 0.0
    share_sum = 0.0
    total_cost = b.number(1799, 0, word="جمع")
    for key, line, word, fa, en in items:
        cost = b.fig(
            f"infrastructure_cost_{key}_bn_rial",
            line,
            0,
            word=word,
            unit="bn_rial",
            kind="cost",
            label_fa=f"هزینه شهرک‌سازی — {fa}",
            label_en=f"Estate-building cost — {en}",
            note=cost_note,
        )
        share = b.fig(
            f"infrastructure_cost_{key}_share_pct",
            line,
            1,
            word=word,
            unit="pct",
            kind="share",
            label_fa=f"سهم از هزینه شهرک‌سازی — {fa}",
            label_en=f"Share of estate-building cost — {en}",
            note=cost_note,
        )
        if half_up(100 * cost / total_cost) != share:
            raise SeedError(f"line {line}: cost share does not match cost / total")
        cost_sum += cost
        share_sum += share
    b.fig(
        "infrastructure_cost_total_bn_rial",
        1799,
        0,
        word="جمع",
        unit="bn_rial",
        kind="cost",
        label_fa="جمع هزینه شهرک‌سازی",
        label_en="Estate-building cost, all items",
        note=cost_note,
        conflict=(
            f"the seven items add up to {cost_sum:,.0f} (a rounding difference)"
            if cost_sum != total_cost
            else ""
        ),
    )
    if share_sum != b.number(1799, 1):
        raise SeedError("cost shares do not add up to the printed 100 %")

    # --- re-activation of stalled units (L976, L1548-L1625) -------------------------------
    table = _seed.parse_reactivation(lines)
    parts = {
        "inside": ("داخل شهرک‌ها", "inside estates"),
        "outside": ("خارج از شهرک‌ها", "outside estates"),
        "total": ("جمع", "total"),
    }
    kinds = {"plan": ("برنامه ۱۴۰۰", "1400 plan"), "actual": ("عملکرد ۱۴۰۰", "1400 actual")}
    base_fa, base_en = "راه‌اندازی مجدد واحدهای راکد", "Stalled industrial units re-activated"

    def reactivation_rows(
        values: dict, *, scope: str, province: str, sources: dict, note: str = ""
    ) -> None:
        for part, (pfa, pen) in parts.items():
            for kind, (kfa, ken) in kinds.items():
                col = f"{part}_{kind}"
                b.add(
                    f"reactivation_{col}",
                    values[col],
                    unit="units",
                    kind=kind,
                    scope=scope,
                    province=province,
                    label_fa=f"{base_fa} — {pfa}، {kfa}",
                    label_en=f"{base_en} — {pen}, {ken}",
                    source=sources[col],
                    note=note,
                )
        b.add(
            "reactivation_achieved_pct",
            values["achieved_pct"],
            unit="pct",
            kind="achieved",
            scope=scope,
            province=province,
            label_fa=f"{base_fa} — درصد تحقق",
            label_en=f"{base_en} — % of plan achieved",
            source=sources["achieved_pct"],
            note=note,
        )

    for r in table.rows:
        reactivation_rows(
            r,
            scope="province",
            province=r["province"],
            sources=dict.fromkeys(_seed.REACTIVATION_COLUMNS, f"seed:L{r['line']}"),
            note=f"province in the report: {r['province_fa']}",
        )
    nation = {c: v for c, (v, _) in table.totals.items()}
    reactivation_rows(
        nation,
        scope="nation",
        province="",
        sources={c: f"seed:L{n}" for c, (_, n) in table.totals.items()},
        note="totals row of the province table; also stated on L1550 and L1554",
    )
    plan_line, actual_line = 1550, 1554
    if sorted(numbers(lines[plan_line - 1])) != sorted(
        [nation["inside_plan"], nation["outside_plan"], nation["total_plan"]]
    ) or sorted(numbers(lines[actual_line - 1])) != sorted(
        [
            nation["inside_actual"],
            nation["outside_actual"],
            nation["achieved_pct"],
            nation["total_actual"],
        ]
    ):
        raise SeedError("re-activation: L1550/L1554 disagree with the table totals")
    prev = b.number(976, 3, word="راکد")
    if (b.number(976, 2), b.number(976, 1), b.number(976, 0)) != (
        nation["total_plan"],
        nation["total_actual"],
        nation["achieved_pct"],
    ):
        raise SeedError("re-activation: L976 disagrees with the table totals")
    b.add(
        "reactivation_total_actual",
        prev,
        unit="units",
        kind="actual",
        year=1399,
        label_fa=f"{base_fa} — جمع، عملکرد ۱۳۹۹",
        label_en=f"{base_en} — total, 1399 actual",
        source="seed:L976",
    )
    b.fig(
        "reactivation_jobs_count",
        1556,
        0,
        word="اشتغال",
        unit="jobs",
        kind="actual",
        label_fa="اشتغال ایجادشده از راه‌اندازی مجدد واحدهای راکد",
        label_en="Jobs created by re-activating stalled units",
    )

    # --- estates developed in 1400 (L1729-L1752) ------------------------------------------
    dev_rows, dev_total = _seed.parse_developed(lines)
    label_fa, label_en = "مساحت شهرک صنعتی توسعه‌یافته در ۱۴۰۰", "Area of estate developed in 1400"
    for r in dev_rows:
        ids = [_seed.developed_estate_id(r.province, n) for n in r.names]
        if len(ids) == 1:
            b.add(
                "developed_estate_area_ha",
                r.area_ha,
                unit="ha",
                kind="area",
                scope="estate",
                province=r.province,
                estate_id=ids[0],
                label_fa=f"{label_fa} — {r.names[0]}",
                label_en=f"{label_en} — {_seed.name_en(r.names[0])}",
                source=f"seed:L{r.line}",
            )
        else:
            b.add(
                "developed_estate_area_ha",
                r.area_ha,
                unit="ha",
                kind="area",
                scope="province",
                province=r.province,
                estate_id=";".join(ids),
                label_fa=f"{label_fa} — {' و '.join(r.names)}",
                label_en=f"{label_en} — {' and '.join(_seed.name_en(n) for n in r.names)}",
                source=f"seed:L{r.line}",
                note=f"one area for {len(ids)} estates together; the report does not split it",
            )
    rows_sum = round(sum(r.area_ha for r in dev_rows), 1)
    b.add(
        "developed_estate_area_ha",
        dev_total["area_ha"],
        unit="ha",
        kind="area",
        label_fa="جمع مساحت شهرک‌های صنعتی توسعه‌یافته در ۱۴۰۰",
        label_en="Area of the estates developed in 1400, in all",
        source=f"seed:L{dev_total['line']}",
        conflict=(
            f"the {len(dev_rows)} rows of the table (L{dev_rows[0].line}-"
            f"L{dev_rows[-1].line}) add up to {rows_sum:,} ha, "
            f"{dev_total['area_ha'] - rows_sum:,.1f} ha less"
            if rows_sum != dev_total["area_ha"]
            else ""
        ),
    )
    b.add(
        "developed_estates_count",
        dev_total["count"],
        unit="estates",
        kind="count",
        label_fa="شهرک‌های صنعتی توسعه‌یافته در ۱۴۰۰",
        label_en="Estates developed in 1400",
        source=f"seed:L{dev_total['line']}",
        note="the table names 17 estates; L223 also reports 'توسعه 17 شهرك و ناحيه صنعتي'",
    )

    # --- technology estates (L673) --------------------------------------------------------
    count_line, _, _ = _seed.check_technology_estates(lines)
    b.fig(
        "technology_estates_count",
        count_line,
        0,
        word="فناوری",
        unit="estates",
        kind="count",
        label_fa="شهرک‌های فناوری راه‌اندازی‌شده",
        label_en="Technology estates launched",
        note="to the end of 1400 (تاکنون)",
    )

    _check_unique(b.rows)
    return b.rows


def _check_unique(rows: list[dict[str, str]]) -> None:
    seen = set()
    for r in rows:
        key = (r["indicator"], r["scope"], r["province"], r["estate_id"], r["year"], r["kind"])
        if key in seen:
            raise SeedError(f"duplicate indicator row {key}")
        seen.add(key)


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", type=Path, help="the 1400 report text (000_dd0ab854e6a26b3b.txt)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = build(_seed.read_seed(args.seed))
    with atomic_write(args.output, encoding="utf-8-sig", newline="") as f:
        f.write(to_csv(rows))
    print(f"wrote {len(rows)} indicator rows to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

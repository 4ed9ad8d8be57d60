"""The registry's schema on a PostgreSQL/PostGIS server, as versioned migrations.

Schema ``isipo``:

- ``submissions`` and ``history``: the GeoPackage store's two tables (:mod:`isipo_geo.registry.
  store`), registry cells kept as the registry CSV's text (so both backends give the same
  registry, byte for byte); ``history.geom`` is the row's point (EPSG:4326), made from lon/lat;
- ``users``: the login roles of the registry and their province (none: headquarters);
- ``estates_current``: a view of the current registry with typed columns and the point, for
  QGIS; its style (:mod:`isipo_geo.maps.qgis_style`) is the default row of QGIS's
  ``public.layer_styles`` table;
- ``schema_version``: the migrations applied.

Row-level security: a provincial role reads, adds and closes only its province's rows and
submissions; headquarters reads and adds all; nobody deletes. The policies are in the database,
so a client that skips this toolkit's checks is refused too. Every login role is a member of
``isipo_member`` (the group the grants go to).

:func:`migrate` applies the missing migrations in one transaction, under an advisory lock, so two
``registry init`` at once do not race; running it again changes nothing. A migration, once
released, is never edited: a change is a new one appended to :data:`MIGRATIONS`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GROUP", "MIGRATIONS", "SCHEMA", "VIEW", "migrate", "schema_version"]

SCHEMA = "isipo"
GROUP = "isipo_member"
VIEW = "estates_current"
LOCK_KEY = 2602_1400
"""Advisory lock taken by every change to the registry (one submission at a time) and by
``init``."""

_TEXT_COLUMNS = (
    "id", "name_fa", "name_en", "kind", "province", "status", "area_ha", "water_supplied_lps",
    "water_demand_lps", "water_deficit_lps", "power_supplied_mw", "power_demand_mw",
    "power_deficit_mw", "has_water", "has_power", "has_gas", "has_telecom", "has_fibre",
    "has_wwtp", "lon", "lat", "location_precision", "year", "source", "flags", "county",
    "operator", "status_year", "geonames_id", "utilities_stated", "note",
)
"""The registry's columns in migration 1 (REGISTRY_COLUMNS then; a test checks the columns
after the last migration still match, so a new column comes with a new migration)."""
_REAL = ("area_ha", "water_supplied_lps", "water_demand_lps", "water_deficit_lps",
         "power_supplied_mw", "power_demand_mw", "power_deficit_mw", "lon", "lat")
_BOOL = ("has_water", "has_power", "has_gas", "has_telecom", "has_fibre", "has_wwtp")
_INT = ("status_year", "geonames_id")


def _view_columns(columns: tuple[str, ...] = _TEXT_COLUMNS, real: tuple[str, ...] = _REAL) -> str:
    out = ["version AS fid"]
    for c in columns:
        if c in real:
            out.append(f"NULLIF({c}, '')::double precision AS {c}")
        elif c in _BOOL:
            out.append(f"NULLIF({c}, '')::boolean AS {c}")
        elif c in _INT:
            out.append(f"NULLIF({c}, '')::integer AS {c}")
        else:
            out.append(c)
    out += ["submission", "valid_from", "geom"]
    return ",\n    ".join(out)


_MIGRATION_1 = f"""
CREATE EXTENSION IF NOT EXISTS postgis;
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{GROUP}') THEN
        CREATE ROLE {GROUP} NOLOGIN;
    END IF;
END $$;
CREATE SCHEMA {SCHEMA};
GRANT USAGE ON SCHEMA {SCHEMA} TO {GROUP};

CREATE TABLE {SCHEMA}.users (
    role name PRIMARY KEY,
    province text  -- NULL: headquarters
);
CREATE FUNCTION {SCHEMA}.role_province(r name) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
    AS $f$ SELECT province FROM {SCHEMA}.users WHERE role = r $f$;
CREATE FUNCTION {SCHEMA}.role_is_hq(r name) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
    AS $f$ SELECT EXISTS (SELECT FROM {SCHEMA}.users WHERE role = r AND province IS NULL) $f$;

CREATE TABLE {SCHEMA}.submissions (
    submission integer PRIMARY KEY,
    batch integer NOT NULL,
    date text NOT NULL,
    file text NOT NULL DEFAULT '',
    sha256 text NOT NULL DEFAULT '',
    sheet text NOT NULL DEFAULT '',
    provinces text NOT NULL DEFAULT '',
    rows_read integer NOT NULL,
    accepted integer NOT NULL,
    rejected integer NOT NULL,
    flagged integer NOT NULL,
    merged integer NOT NULL,
    replaced integer NOT NULL,
    "user" text NOT NULL DEFAULT '',
    report text NOT NULL DEFAULT '',
    role name NOT NULL DEFAULT current_user
);

CREATE TABLE {SCHEMA}.history (
    version integer PRIMARY KEY,
    submission integer NOT NULL REFERENCES {SCHEMA}.submissions,
    valid_from text NOT NULL,
    replaced_by integer REFERENCES {SCHEMA}.submissions,
    valid_to text NOT NULL DEFAULT '',
    {", ".join(f"{c} text NOT NULL DEFAULT ''" for c in _TEXT_COLUMNS)},
    geom geometry(Point, 4326) GENERATED ALWAYS AS (
        CASE WHEN lon <> '' AND lat <> ''
        THEN ST_SetSRID(ST_MakePoint(lon::double precision, lat::double precision), 4326)
        END) STORED
);
CREATE UNIQUE INDEX history_current_id ON {SCHEMA}.history (id) WHERE replaced_by IS NULL;
CREATE INDEX history_current_province ON {SCHEMA}.history (province)
    WHERE replaced_by IS NULL;
CREATE INDEX history_geom ON {SCHEMA}.history USING gist (geom);

-- the whole registry's numbering, whatever rows the caller may read
CREATE FUNCTION {SCHEMA}.tip(OUT submission integer, OUT batch integer, OUT version integer,
                             OUT date text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
    AS $f$ SELECT (SELECT coalesce(max(s.submission), 0) FROM {SCHEMA}.submissions s),
                  (SELECT coalesce(max(s.batch), 0) FROM {SCHEMA}.submissions s),
                  (SELECT coalesce(max(h.version), 0) FROM {SCHEMA}.history h),
                  (SELECT coalesce(max(s.date), '') FROM {SCHEMA}.submissions s) $f$;

ALTER TABLE {SCHEMA}.history ENABLE ROW LEVEL SECURITY;
ALTER TABLE {SCHEMA}.submissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_rows ON {SCHEMA}.history FOR SELECT
    USING ({SCHEMA}.role_is_hq(current_user)
           OR province = {SCHEMA}.role_province(current_user));
CREATE POLICY add_rows ON {SCHEMA}.history FOR INSERT
    WITH CHECK ({SCHEMA}.role_is_hq(current_user)
                OR province = {SCHEMA}.role_province(current_user));
CREATE POLICY close_rows ON {SCHEMA}.history FOR UPDATE
    USING ({SCHEMA}.role_is_hq(current_user)
           OR province = {SCHEMA}.role_province(current_user))
    WITH CHECK ({SCHEMA}.role_is_hq(current_user)
                OR province = {SCHEMA}.role_province(current_user));
CREATE POLICY read_submissions ON {SCHEMA}.submissions FOR SELECT
    USING ({SCHEMA}.role_is_hq(current_user)
           OR {SCHEMA}.role_province(current_user) = ANY (string_to_array(provinces, ';')));
CREATE POLICY add_submissions ON {SCHEMA}.submissions FOR INSERT
    WITH CHECK ({SCHEMA}.role_is_hq(current_user)
                OR ({SCHEMA}.role_province(current_user) IS NOT NULL
                    AND string_to_array(provinces, ';')
                        <@ ARRAY[{SCHEMA}.role_province(current_user)]));
GRANT SELECT, INSERT ON {SCHEMA}.submissions TO {GROUP};
GRANT SELECT, INSERT ON {SCHEMA}.history TO {GROUP};
GRANT UPDATE (replaced_by, valid_to) ON {SCHEMA}.history TO {GROUP};

CREATE VIEW {SCHEMA}.{VIEW} WITH (security_invoker = true) AS
SELECT
    {_view_columns()}
FROM {SCHEMA}.history
WHERE replaced_by IS NULL;
GRANT SELECT ON {SCHEMA}.{VIEW} TO {GROUP};

-- QGIS's table of layer styles (as QGIS creates it), for the view's default style
CREATE TABLE IF NOT EXISTS public.layer_styles (
    id serial PRIMARY KEY,
    f_table_catalog varchar,
    f_table_schema varchar,
    f_table_name varchar,
    f_geometry_column varchar,
    stylename text,
    styleqml xml,
    stylesld xml,
    useasdefault boolean,
    description text,
    owner varchar(63) DEFAULT CURRENT_USER,
    ui xml,
    update_time timestamp DEFAULT CURRENT_TIMESTAMP,
    type varchar
);
GRANT SELECT ON public.layer_styles TO {GROUP};
"""

_UTILITY_COLUMNS_2 = (
    "gas_supplied_km", "gas_demand_km", "gas_deficit_km", "telecom_supplied_km",
    "telecom_demand_km", "telecom_deficit_km", "wastewater_supplied_lps",
    "wastewater_demand_lps", "wastewater_deficit_lps",
)
"""The figures of gas, telecom and wastewater treatment (data/utilities/utilities.csv), added
to the registry's columns after migration 1."""
_TEXT_COLUMNS_2 = (
    *_TEXT_COLUMNS[: _TEXT_COLUMNS.index("power_deficit_mw") + 1],
    *_UTILITY_COLUMNS_2,
    *_TEXT_COLUMNS[_TEXT_COLUMNS.index("power_deficit_mw") + 1:],
)
"""The registry's columns after migration 2, in REGISTRY_COLUMNS' order."""

_MIGRATION_2 = f"""
ALTER TABLE {SCHEMA}.history
    {", ".join(f"ADD COLUMN {c} text NOT NULL DEFAULT ''" for c in _UTILITY_COLUMNS_2)};
DROP VIEW {SCHEMA}.{VIEW};
CREATE VIEW {SCHEMA}.{VIEW} WITH (security_invoker = true) AS
SELECT
    {_view_columns(_TEXT_COLUMNS_2, (*_REAL, *_UTILITY_COLUMNS_2))}
FROM {SCHEMA}.history
WHERE replaced_by IS NULL;
GRANT SELECT ON {SCHEMA}.{VIEW} TO {GROUP};
"""

_CRITERIA_COLUMNS_3 = (
    "jobs", "units_operating", "units_idle", "occupancy_pct", "investment_bn_toman",
)
"""The criteria columns (data/estates/criteria_columns.csv), added after migration 2, at the end
of the registry's columns."""
_TEXT_COLUMNS_3 = (*_TEXT_COLUMNS_2, *_CRITERIA_COLUMNS_3)
"""The registry's columns after migration 3, in REGISTRY_COLUMNS' order."""

_MIGRATION_3 = f"""
ALTER TABLE {SCHEMA}.history
    {", ".join(f"ADD COLUMN {c} text NOT NULL DEFAULT ''" for c in _CRITERIA_COLUMNS_3)};
DROP VIEW {SCHEMA}.{VIEW};
CREATE VIEW {SCHEMA}.{VIEW} WITH (security_invoker = true) AS
SELECT
    {_view_columns(_TEXT_COLUMNS_3, (*_REAL, *_UTILITY_COLUMNS_2, *_CRITERIA_COLUMNS_3))}
FROM {SCHEMA}.history
WHERE replaced_by IS NULL;
GRANT SELECT ON {SCHEMA}.{VIEW} TO {GROUP};
"""

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "registry tables, users, row-level security, the QGIS view", _MIGRATION_1),
    (2, "gas, telecom and wastewater treatment figures (supplied, demand, deficit)",
     _MIGRATION_2),
    (3, "criteria columns: jobs, units operating and idle, occupancy %, investment",
     _MIGRATION_3),
)
"""(version, what it does, SQL), in order."""


def schema_version(conn: Any) -> int:
    """The last migration applied to the database (0: none, no registry yet)."""
    exists = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_version",)).fetchone()[0]
    if exists is None:
        return 0
    return int(conn.execute(f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.schema_version")
               .fetchone()[0])


def migrate(conn: Any) -> list[int]:
    """Apply the missing migrations (in the caller's transaction, under the registry's advisory
    lock) and record them; returns the versions applied (empty when up to date)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
    done = schema_version(conn)
    applied = []
    for version, _what, sql in MIGRATIONS:
        if version <= done:
            continue
        conn.execute(sql)
        if version == 1:
            conn.execute(f"CREATE TABLE {SCHEMA}.schema_version (version integer PRIMARY KEY, "
                         "what text NOT NULL, applied timestamptz NOT NULL DEFAULT now())")
            conn.execute(f"GRANT SELECT ON {SCHEMA}.schema_version TO {GROUP}")
            # whoever creates the registry administers it: headquarters
            conn.execute(f"INSERT INTO {SCHEMA}.users (role, province) VALUES (current_user, "
                         "NULL) ON CONFLICT (role) DO NOTHING")
        conn.execute(f"INSERT INTO {SCHEMA}.schema_version (version, what) VALUES (%s, %s)",
                     (version, _what))
        applied.append(version)
    return applied

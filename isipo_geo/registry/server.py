"""The registry store on a PostgreSQL/PostGIS server: one registry for headquarters and the 31
provincial companies (schema and rights: :mod:`isipo_geo.registry.server_schema`).

The server keeps what a GeoPackage store keeps (:mod:`isipo_geo.registry.store`), and a batch is
added by the same rule (:func:`isipo_geo.registry.store.add_batch`): the store the user may read
is read, the batch added to it in memory, and what changed — the new submissions, the rows they
close, the rows they bring — is written in one transaction. Submissions are added one at a time
(an advisory lock held to the commit), so 31 companies submitting at once queue and lose nothing;
a client killed or cut off before the commit leaves nothing of its submission (the server rolls
the transaction back).

A provincial user submits its own province only: a workbook of another province is refused
before anything is written, with a message saying so, and the database's policies refuse such
rows from any client. Connection strings are libpq's (a URL, ``PG*`` variables, a service file);
messages name the server without its password.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError, StoreServerError
from isipo_geo.messages import message, numeral
from isipo_geo.registry.server_schema import GROUP, LOCK_KEY, SCHEMA, VIEW, migrate, schema_version

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from isipo_geo.registry.batch import Batch
    from isipo_geo.registry.store import Store

__all__ = ["Who", "add_to_server", "add_user", "init_registry", "read_server_store",
           "set_layer_style", "who_am_i"]


def _name(url: str) -> str:
    from isipo_geo.registry._location import location_name

    return location_name(url)


def _first_line(exc: BaseException) -> str:
    from isipo_geo.registry._location import redact

    text = str(exc).strip().splitlines()
    return redact(text[0]) if text else type(exc).__name__


@contextlib.contextmanager
def connect(url: str, *, autocommit: bool = False) -> Iterator[Any]:
    """A connection to the registry server (one transaction, committed at the end of the block
    unless it fails). Connection problems become :class:`StoreServerError` naming the server
    without its password."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        raise StoreServerError("a PostgreSQL store needs psycopg: pip install "
                               "'psycopg[binary]'") from None
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=20,
                               application_name="isipo-geo")
    except psycopg.OperationalError as exc:
        raise StoreServerError(message("server_unreachable", name=_name(url),
                                       exc=_first_line(exc))) from None
    except psycopg.ProgrammingError as exc:  # a malformed connection string
        raise InputError(message("bad_connection_string", exc=_first_line(exc)),
                         path=_name(url)) from None
    role = conn.info.user
    try:
        with conn:
            yield conn
    except psycopg.errors.InsufficientPrivilege as exc:
        raise InputError(
            message("role_not_allowed", role=repr(role), exc=_first_line(exc), role2=role),
            path=_name(url)) from None
    except psycopg.OperationalError as exc:
        if conn.broken or conn.closed:
            raise StoreServerError(message("server_lost", name=_name(url),
                                           exc=_first_line(exc))) from None
        raise StoreServerError(message("server_said", name=_name(url),
                                       exc=_first_line(exc))) from None


def _check_schema(conn: Any, url: str) -> None:
    from isipo_geo.registry.server_schema import MIGRATIONS

    version = schema_version(conn)
    if version == 0:
        raise InputError(message("server_no_registry"), path=_name(url))
    if version < MIGRATIONS[-1][0]:
        raise InputError(message("server_schema_old", version=version,
                                 migrations=MIGRATIONS[-1][0]),
                         path=_name(url))


# ---------------------------------------------------------------------------------- admin


def init_registry(url: str) -> list[int]:
    """Create the registry's schema on an empty database, or upgrade it (idempotent): the
    migrations applied, empty when it was up to date."""
    with connect(url) as conn:
        try:
            return migrate(conn)
        except Exception as exc:
            import psycopg

            if not isinstance(exc, psycopg.errors.InsufficientPrivilege | psycopg.errors.
                              UndefinedFile | psycopg.errors.FeatureNotSupported):
                raise
            why = _first_line(exc)
            fix = message("fix_postgis" if "extension" in why else "fix_run_as_owner")
            raise InputError(message("cannot_create_registry", why=why, fix=fix),
                             path=_name(url)) from None


def set_layer_style(url: str, *, name: str, qml: str, description: str) -> None:
    """Make ``qml`` the default QGIS style of the view of the current registry (one row of
    ``public.layer_styles``, replaced if there)."""
    with connect(url) as conn:
        _check_schema(conn, url)
        conn.execute("DELETE FROM public.layer_styles WHERE f_table_catalog = current_database() "
                     "AND f_table_schema = %s AND f_table_name = %s AND stylename = %s",
                     (SCHEMA, VIEW, name))
        conn.execute("UPDATE public.layer_styles SET useasdefault = false WHERE "
                     "f_table_catalog = current_database() AND f_table_schema = %s AND "
                     "f_table_name = %s", (SCHEMA, VIEW))
        conn.execute(
            "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, stylename, styleqml, useasdefault, description, type) "
            "VALUES (current_database(), %s, %s, 'geom', %s, XMLPARSE(DOCUMENT %s), true, %s, "
            "'Point')", (SCHEMA, VIEW, name, qml, description))


def add_user(url: str, name: str, *, province: str | None, password: str | None = None) -> bool:
    """Create (or update) a login role of the registry: a provincial company's (``province``
    a key) or headquarters' (None). Returns whether the role is new."""
    from psycopg import sql

    from isipo_geo.provinces import province_records

    keys = [p["key"] for p in province_records()]
    if province is not None and province not in keys:
        raise InputError(message("province_option_not_key", province=repr(province),
                                 keys=', '.join(keys)))
    with connect(url) as conn:
        _check_schema(conn, url)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        stmt = sql.SQL("{} ROLE {} LOGIN").format(sql.SQL(verb), sql.Identifier(name))
        if password is not None:  # sent as its SCRAM verifier: no server log holds it
            verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(),
                                                    b"scram-sha-256").decode()
            stmt = sql.SQL("{} PASSWORD {}").format(stmt, sql.Literal(verifier))
        try:
            conn.execute(stmt)
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP),
                                                          sql.Identifier(name)))
        except Exception as exc:
            import psycopg

            if isinstance(exc, psycopg.errors.InsufficientPrivilege):
                raise InputError(message("cannot_create_role", name=repr(name),
                                         exc=_first_line(exc)),
                                 path=_name(url)) from None
            raise
        conn.execute(f"INSERT INTO {SCHEMA}.users (role, province) VALUES (%s, %s) ON CONFLICT "
                     "(role) DO UPDATE SET province = EXCLUDED.province", (name, province))
    return not exists


# ---------------------------------------------------------------------------------- reading


def _text_frame(cur: Any, columns: tuple[str, ...]) -> Any:
    """Rows of a cursor as text cells (None → '', integers as digits)."""
    import pandas as pd

    rows = cur.fetchall()
    data = {c: ["" if r[i] is None else str(r[i]) for r in rows] for i, c in enumerate(columns)}
    return pd.DataFrame(data, columns=list(columns))


def _read(conn: Any) -> Store:
    from isipo_geo.registry.schema import REGISTRY_COLUMNS
    from isipo_geo.registry.store import SUBMISSION_COLUMNS, VERSION_COLUMNS, Store

    history_cols = (*REGISTRY_COLUMNS, *VERSION_COLUMNS)
    cur = conn.execute("SELECT " + ", ".join(f'"{c}"' for c in history_cols)
                       + f" FROM {SCHEMA}.history ORDER BY version")
    history = _text_frame(cur, history_cols)
    cur = conn.execute("SELECT " + ", ".join(f'"{c}"' for c in SUBMISSION_COLUMNS)
                       + f" FROM {SCHEMA}.submissions ORDER BY submission")
    return Store(history, _text_frame(cur, SUBMISSION_COLUMNS))


def read_server_store(url: str) -> Store:
    """The store on the server, as far as the user may read it (headquarters: all of it; a
    provincial company: its province's rows and submissions)."""
    with connect(url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _check_schema(conn, url)
        return _read(conn)


# ---------------------------------------------------------------------------------- adding


class Who:
    """The role connected and the province it may submit (None: headquarters)."""

    def __init__(self, role: str, province: str | None, registered: bool) -> None:
        self.role, self.province, self.registered = role, province, registered


def who_am_i(conn: Any) -> Who:
    role, province, hq = conn.execute(
        f"SELECT current_user, {SCHEMA}.role_province(current_user), "
        f"{SCHEMA}.role_is_hq(current_user)").fetchone()
    return Who(str(role), province, bool(hq) or province is not None)


def _check_rights(who: Who, batch: Batch, url: str) -> None:
    """Refuse, before anything is written, a batch the user may not submit."""
    if not who.registered:
        raise InputError(message("role_not_user", role=repr(who.role), role2=who.role),
                         path=_name(url))
    if who.province is None:
        return
    for sub in batch.submissions:
        provinces = [str(p) for p in sub.kept["province"].tolist()]
        others = sorted((set(sub.covers) | set(provinces)) - {who.province})
        if others:
            rows = [str(s).rsplit(" row ", 1)[-1] for s, p in zip(
                sub.kept["source"].tolist(), provinces, strict=True) if p != who.province]
            shown = (message("rows_listed", rows=numeral(", ".join(rows[:5])
                                                        + (" …" if len(rows) > 5 else "")))
                     if rows else "")
            raise InputError(message("other_provinces", role=repr(who.role),
                                     province=who.province, label=sub.label,
                                     others=", ".join(others), rows=shown),
                             path=sub.result.source)


def add_to_server(
    batch: Batch,
    url: str,
    *,
    date: str,
    user: str | None,
    before_commit: Callable[[list[int]], Any],
) -> tuple[Store, Store, list[int]]:
    """Add a batch to the server's store in one transaction (see the module's docstring)."""
    import psycopg

    from isipo_geo.registry.store import Tip, add_batch

    with connect(url) as conn:
        _check_schema(conn, url)
        who = who_am_i(conn)
        _check_rights(who, batch, url)
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))  # one at a time
        old = _read(conn)
        s, b, v, d = conn.execute(f"SELECT * FROM {SCHEMA}.tip()").fetchone()
        new, numbers = add_batch(old, batch, date=date, user=user, tip=Tip(s, b, v, d))
        try:
            _write_delta(conn, old, new, numbers, first_version=v + 1)
        except psycopg.errors.UniqueViolation as exc:
            ident = _key_of(exc)  # hidden when the estate is of a province the user may not read
            which = f"id {ident!r} is" if ident else (
                "an id of this submission is (the server does not say which to a provincial "
                "user)")
            raise InputError(
                message("id_used_other_province", which=which), path=_name(url)
            ) from None
        except psycopg.errors.InsufficientPrivilege as exc:
            raise InputError(
                message("server_refused", exc=_first_line(exc), role=repr(who.role)),
                path=_name(url)) from None
        before_commit(numbers)
    return old, new, numbers


def _key_of(exc: Any) -> str:
    import re

    detail = getattr(getattr(exc, "diag", None), "message_detail", "") or ""
    m = re.search(r"\(id\)=\((.*)\)", detail)
    return m.group(1) if m else ""


def _write_delta(conn: Any, old: Store, new: Store, numbers: list[int], *,
                 first_version: int) -> None:
    """Write what ``new`` adds to ``old``: submissions first, then the rows they close, then
    the rows they bring (closing first, so an id is current once)."""
    from isipo_geo.registry.schema import REGISTRY_COLUMNS
    from isipo_geo.registry.store import SUBMISSION_COLUMNS, VERSION_COLUMNS

    subs = new.submissions.tail(len(numbers))
    cols = ", ".join(f'"{c}"' for c in SUBMISSION_COLUMNS)
    marks = ", ".join(["%s"] * len(SUBMISSION_COLUMNS))
    with conn.cursor() as cur:  # INSERT: COPY does not go through row-level security
        cur.executemany(f"INSERT INTO {SCHEMA}.submissions ({cols}) VALUES ({marks})",
                        [list(rec) for rec in subs.itertuples(index=False)])
    h_old, h_new = old.history, new.history
    closed = h_new.iloc[: len(h_old)]
    was_open = (h_old["replaced_by"] == "").to_numpy()
    now_closed = (closed["replaced_by"] != "").to_numpy() & was_open
    pairs = [(int(r), t, int(v)) for r, t, v in zip(
        closed["replaced_by"][now_closed], closed["valid_to"][now_closed],
        closed["version"][now_closed], strict=True)]
    if pairs:
        with conn.cursor() as cur:
            cur.executemany(f"UPDATE {SCHEMA}.history SET replaced_by = %s, valid_to = %s "
                            "WHERE version = %s AND replaced_by IS NULL", pairs)
    added = h_new.iloc[len(h_old):]
    if len(added):
        assert int(added["version"].iloc[0]) == first_version
        columns = (*REGISTRY_COLUMNS, *VERSION_COLUMNS)
        rows = added[list(columns)]
        cols = ", ".join(f'"{c}"' for c in columns)
        ints = {"version", "submission", "replaced_by"}
        marks = ", ".join(["%s"] * len(columns))
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {SCHEMA}.history ({cols}) VALUES ({marks})",
                [[(None if v == "" else int(v)) if c in ints else _cell(v)
                  for c, v in zip(columns, rec, strict=True)]
                 for rec in rows.itertuples(index=False)])


def _cell(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None or value != value else str(
        value)

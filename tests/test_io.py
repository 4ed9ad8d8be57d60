"""Atomic writes and small user files."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance.inputs import read_priority, read_weights
from isipo_geo.io import atomic_path, atomic_write


def test_atomic_write_keeps_the_old_file_on_error(tmp_path) -> None:
    out = tmp_path / "a.csv"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(out) as f:
        f.write("half")
        raise RuntimeError("boom")
    assert out.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [out]


def test_atomic_path(tmp_path) -> None:
    out = tmp_path / "sub" / "x.bin"
    with atomic_path(out) as tmp:
        assert tmp.parent == out.parent and not tmp.exists()
        tmp.write_bytes(b"ok")
    assert out.read_bytes() == b"ok"


def test_read_weights(tmp_path) -> None:
    p = tmp_path / "w.csv"
    p.write_text("province,weight\nتهران,2\nKordestan,۳\n", encoding="utf-8")
    assert read_weights(p) == {"tehran": Decimal(2), "kurdistan": Decimal(3)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("province,weight\nTabriz,2\n", r"row 2, column 'province': unknown province 'Tabriz'"),
        ("province,weight\nTehran,x\n", r"row 2, column 'weight': weight 'x' is not a number"),
        (
            "province,weight\nTehran,-1\n",
            "row 2, column 'weight': weight '-1' is negative; allowed: 0 to 10\\^15",
        ),
        ("province,weight\nTehran,1\nتهران,2\n", "row 3.*listed twice"),
        ("name,weight\nTehran,1\n", "'province' is missing"),
        ("province,weight\n", "no rows"),
    ],
)
def test_bad_weights(tmp_path, text, message) -> None:
    p = tmp_path / "w.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_weights(p)


def test_read_priority(tmp_path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("province,utility\nسيستان و بلوچستان,water\nQom,\n", encoding="utf-8")
    assert read_priority(p) == [("sistan_baluchestan", "water"), ("qom", None)]


@pytest.mark.parametrize("where", ["/proc/isipo/x.csv", "/dev/null/x.csv"])
def test_unwritable_output_is_a_clear_error(where) -> None:
    from isipo_geo.errors import OutputError

    with pytest.raises(OutputError, match=r"cannot write .*x\.csv"), atomic_write(where) as f:
        f.write("x")
    with pytest.raises(OutputError, match="cannot write"), atomic_path(where) as tmp:
        tmp.write_text("x")


def test_cli_unwritable_out_gives_one_line(runner) -> None:
    from isipo_geo.cli import app

    result = runner.invoke(app, ["funding", "--out", "/proc/isipo/x.csv"])
    assert result.exit_code == 2
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_staged_folder_writes_into_the_current_folder_given_as_dot(tmp_path, monkeypatch):
    """``--out-dir .`` (a build's folder, from inside it): the stage is named after the folder,
    not after ``''``, so the files land in the current folder."""
    from isipo_geo.io import staged_folder

    monkeypatch.chdir(tmp_path)
    (tmp_path / "kept.txt").write_text("mine", encoding="utf-8")
    with staged_folder(".") as stage:
        (stage / "briefs").mkdir()
        (stage / "briefs" / "a.html").write_text("<p>a</p>", encoding="utf-8")
    assert (tmp_path / "briefs" / "a.html").read_text(encoding="utf-8") == "<p>a</p>"
    assert (tmp_path / "kept.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefs", "kept.txt"]


@pytest.mark.parametrize(("code", "english", "persian"), [
    (28, "the disk is full; free some space or write elsewhere",
     "دیسک پر است؛ جایی باز کنید یا جای دیگری بنویسید"),
    (30, "the disk is read-only; choose another output path",
     "دیسک فقط‌خواندنی است؛ مسیر خروجی دیگری برگزینید"),
    (13, "permission denied; choose another output path",
     "اجازهٔ نوشتن نیست؛ مسیر خروجی دیگری برگزینید"),
])
def test_an_output_error_says_why_in_persian_too(tmp_path, code, english, persian):
    import errno

    from isipo_geo.errors import OutputError
    from isipo_geo.io import _message
    from isipo_geo.messages import persian_error

    assert errno.errorcode[code] in ("ENOSPC", "EROFS", "EACCES")
    said = _message(tmp_path / "x.csv", OSError(code, "os text"))
    assert said == f"cannot write {tmp_path / 'x.csv'}: {english}"
    assert persian_error(OutputError(said)) == f"{tmp_path / 'x.csv'} نوشته نشد: {persian}"


def test_a_folder_being_written_says_so_in_persian_too(tmp_path):
    from isipo_geo.errors import OutputError
    from isipo_geo.io import output_lock
    from isipo_geo.messages import persian_error

    with (
        output_lock(tmp_path, command="isipo-geo build"),
        pytest.raises(OutputError) as info,
        output_lock(tmp_path, command="isipo-geo map"),
    ):
        pass
    assert persian_error(info.value).startswith(f"{tmp_path} در حال نوشته شدن به دست isipo-geo "
                                                "build")

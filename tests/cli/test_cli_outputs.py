"""Commands with several outputs write them together or not at all."""

from __future__ import annotations

import errno

from isipo_geo.cli import app


def test_funding_table_and_plan_together_or_neither(runner, tmp_path, monkeypatch) -> None:
    import os

    real_fsync = os.fsync

    def fsync(fd):  # the disk fills up while the plan (the second file) is written
        if "plan.xlsx" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    (tmp_path / "needs.csv").write_text("old", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "funding",
            "--out",
            str(tmp_path / "needs.csv"),
            "--budget",
            "5000 bn toman",
            "--budget-out",
            str(tmp_path / "plan.xlsx"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "plan.xlsx: the disk is full" in result.output and "Traceback" not in result.output
    assert "wrote" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["needs.csv"]
    assert (tmp_path / "needs.csv").read_text(encoding="utf-8") == "old"


def test_map_national_page_and_png_together_or_neither(runner, tmp_path, monkeypatch) -> None:
    import isipo_geo.maps.static as static_map

    def broken_png(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(static_map, "write_figure", broken_png)
    out = tmp_path / "maps"
    result = runner.invoke(app, ["map", "national", "--png", "--out-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["maps"])
    assert not out.exists() or list(out.rglob("*")) == []  # no national.html without its PNG


def test_staged_map_keeps_the_folder_name_in_embed_snippets(runner, tmp_path) -> None:
    out = tmp_path / "maps"
    result = runner.invoke(app, ["map", "national", "--embed", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert 'src="maps/national.html"' in (out / "national.embed.html").read_text(encoding="utf-8")
    assert f"wrote {out / 'national.embed.html'}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]


def test_import_of_many_files_writes_registry_rejects_and_report_together(
    runner, tmp_path, monkeypatch
) -> None:
    import os

    for name, province in (("a.csv", "تهران"), ("b.csv", "فارس")):
        (tmp_path / name).write_text(
            f"نام شهرک,استان,نوع\nشهرک صنعتی {name},{province},شهرک صنعتی\nبی‌نام,آتلانتیس,x\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    real_fsync = os.fsync

    def fsync(fd):  # the disk fills up on the registry, written after the report and rejects
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") and "reg.csv.isipo" in (
            os.readlink(f"/proc/self/fd/{fd}")
        ):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    args = [
        "import",
        str(tmp_path / "a.csv"),
        str(tmp_path / "b.csv"),
        "--registry",
        str(out / "reg.csv"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "reg.csv: the disk is full" in result.output and "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []
    monkeypatch.undo()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "reg.csv",
        "reg.import.json",
        "reg.rejects.csv",
    ]

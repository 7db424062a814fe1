"""Bad input gets a MigkitError that names the file, row and column, and no panic."""

from __future__ import annotations

from pathlib import Path

import pytest

import migkit

ASY = "ho-asylum-support-by-la-asy-d11"
HEADER = (
    "Date,Year,Quarter,Support Type,UK Region,Local Authority,LAD Code,Accommodation Type,People"
)
GOOD = (
    "2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,Dispersal Accommodation,1202"
)


def _write(
    root: Path, text: str, name: str = "asy_d11_asylum_support_by_la_2024q3_2024q3.csv"
) -> str:
    # The release's own folder name, so that the Asy_D11 reader is chosen as for a real release.
    folder = root / ASY
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return name


def _bad_dir(small_data, text: str) -> Path:
    root = small_data()
    _write(root, text)
    return root


CASES = [
    (
        "missing column",
        HEADER.replace(",People", "") + "\n" + GOOD.rsplit(",", 1)[0] + "\n",
        migkit.SchemaError,
        ["People"],
    ),
    (
        "non-numeric count",
        HEADER + "\n" + GOOD.replace("1202", "twelve") + "\n",
        migkit.InputError,
        ["row 2", "People", "twelve"],
    ),
    (
        "negative count",
        HEADER + "\n" + GOOD.replace("1202", "-5") + "\n",
        migkit.InputError,
        ["row 2", "People"],
    ),
    (
        "unknown area code",
        HEADER + "\n" + GOOD.replace("E08000025", "E08999999") + "\n",
        migkit.AreaCodeError,
        ["E08999999"],
    ),
    (
        "malformed area code",
        HEADER + "\n" + GOOD.replace("E08000025", "E0800002") + "\n",
        migkit.MigkitError,
        ["E0800002", "row 2"],
    ),
    (
        "duplicated row",
        HEADER + "\n" + GOOD + "\n" + GOOD + "\n",
        migkit.InputError,
        ["row 3", "duplicated", "row 2"],
    ),
    (
        "truncated file",
        HEADER + "\n" + GOOD + "\n2024-09-30,2024,3,Section 95,West",
        migkit.InputError,
        ["row 3"],
    ),
    ("empty file", "", migkit.InputError, ["empty"]),
]


@pytest.mark.parametrize(("label", "text", "error", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_raises_a_migkit_error_naming_the_place(small_data, label, text, error, fragments):
    root = _bad_dir(small_data, text)
    with pytest.raises(error) as info:
        migkit.harmonise.load(root)
    message = str(info.value)
    assert "asy_d11_asylum_support_by_la_2024q3_2024q3.csv" in message, message
    for fragment in fragments:
        assert fragment in message, (label, message)


def test_byte_order_mark_is_accepted(small_data):
    root = _bad_dir(small_data, "\ufeff" + HEADER + "\n" + GOOD + "\n")
    run = migkit.harmonise.load(root)
    df = run.observations.to_pandas()
    assert df[df["source"] == "ho_asy_d11"]["value"].sum() == 1202


def test_lenient_mode_lists_bad_rows_and_loses_nothing(small_data):
    root = _bad_dir(
        small_data,
        HEADER
        + "\n"
        + GOOD
        + "\n"
        + GOOD.replace("1202", "twelve").replace("Dispersal", "Initial")
        + "\n",
    )
    run = migkit.harmonise.load(root, lenient=True)
    audit = next(f for f in run.audit["files"] if f["path"].endswith("2024q3_2024q3.csv"))
    assert audit["rows_read"] == 2 and audit["rows_used"] == 1 and audit["rows_rejected"] == 1
    assert audit["rejected"][0]["row"] == 3 and "twelve" in audit["rejected"][0]["reason"]


def test_missing_data_folder_is_a_data_file_error(tmp_path):
    with pytest.raises(migkit.MigkitError, match="does not exist"):
        migkit.harmonise.load(tmp_path / "nowhere")


def test_file_no_reader_accepts_is_named(small_data):
    root = small_data()
    (root / "mystery").mkdir()
    (root / "mystery" / "numbers.csv").write_text("a,b\n1,2\n")
    with pytest.raises(migkit.InputError, match=r"mystery/numbers\.csv.*no reader"):
        migkit.harmonise.load(root)

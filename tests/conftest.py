"""Shared fixtures: the shared data folder and one harmonisation run per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import migkit

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MIGKIT_DATA", ROOT.parent / "shared" / "data"))

LOOKUP_FOLDERS = [
    "lookups-la-all-codes-drkane",
    "lookups-lad-changes-2018-2025-onsvisual",
    "lookups-lad-code-history-chd-jul2024",
    "lookups-lad11-old-new-codes",
    "lookups-lad18-to-rgn18",
    "lookups-msoa-lsoa-to-lad-west-midlands",
    "lad-boundaries-2008",
]
# The MSOA-to-district lookup sits in a census folder; link only that file, not the census tables.
LOOKUP_FILES = ["census2021-west-midlands-msoa/wm_msoa21_to_ltla21_from_msoa_names.csv"]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.fail(f"shared data folder not found at {DATA}; set MIGKIT_DATA")
    return DATA


@pytest.fixture(scope="session")
def run(data_dir: Path) -> migkit.harmonise.Harmonised:
    return migkit.harmonise.load(data_dir)


@pytest.fixture(scope="session")
def obs(run: migkit.harmonise.Harmonised):
    return run.observations.to_pandas()


@pytest.fixture()
def small_data(tmp_path: Path, data_dir: Path):
    """Return a factory for a data folder holding the lookups plus chosen release folders.

    The release folders are linked from the shared data, so nothing is copied into the repository;
    tests then add their own (bad or revised) files next to them.
    """

    def make(*folders: str) -> Path:
        root = tmp_path / "data"
        root.mkdir(exist_ok=True)
        for name in (*LOOKUP_FOLDERS, *folders):
            target = root / name
            if not target.exists():
                target.mkdir()
                for f in (data_dir / name).iterdir():
                    if f.is_file():
                        (target / f.name).symlink_to(f)
        for relative in LOOKUP_FILES:
            target = root / relative
            if not target.exists():
                target.parent.mkdir(exist_ok=True)
                target.symlink_to(data_dir / relative)
        return root

    return make

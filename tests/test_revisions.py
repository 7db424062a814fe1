"""Two releases of one table side by side: the newest wins and revisions are listed."""

from __future__ import annotations

from pathlib import Path

import migkit

ASY = "ho-asylum-support-by-la-asy-d11"


def test_later_release_wins_and_changes_are_listed(small_data, data_dir: Path):
    root = small_data(ASY)
    original = next((data_dir / ASY).glob("*.csv"))
    lines = original.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    # A revised "next quarter" release: Birmingham's 30 Sep 2024 S95 dispersal figure revised
    # from 1,202 to 1,250.
    target = (
        "2024-09-30,2024,3,Section 95,West Midlands,Birmingham,E08000025,"
        "Dispersal Accommodation,1202"
    )
    assert target in rows
    revised = [r.replace(",1202", ",1250") if r == target else r for r in rows]
    # ... and a quarter the earlier release does not have, as a later release would add.
    revised.append(
        target.replace("2024-09-30,2024,3", "2024-12-31,2024,4").replace(",1202", ",1300")
    )
    new_name = original.name.replace("2024q3", "2024q4")
    (root / ASY / new_name).write_text("\n".join([header, *revised]) + "\n", encoding="utf-8")

    run = migkit.harmonise.load(root)
    revisions = run.revisions.to_pylist()
    assert len(revisions) == 1
    (rev,) = revisions
    assert rev["area_code"] == "E08000025" and rev["old_value"] == 1202 and rev["new_value"] == 1250
    assert rev["new_release"].endswith("2024q4") and rev["old_release"].endswith("2024q3")

    df = run.observations.to_pandas()
    asy = df[(df["source"] == "ho_asy_d11") & (df["period_end"].astype(str) == "2024-09-30")]
    assert asy["value"].sum() == 109_024 - 1202 + 1250
    assert migkit.harmonise.revisions(root).num_rows == 1

    every = migkit.harmonise.load(root, all_releases=True).observations.to_pandas()
    # Every value of both releases: the earlier one's 21,741 observations, the later one's 21,742.
    assert (
        len(every[every["source"] == "ho_asy_d11"]) == 2 * len(df[df["source"] == "ho_asy_d11"]) - 1
    )

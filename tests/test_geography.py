"""The geography bridge from Python: recoding, names, rollups, errors."""

from __future__ import annotations

import pytest

import migkit
from migkit.geography import Bridge

SHROPSHIRE_2009 = ["39UB", "39UC", "39UD", "39UE", "39UF", "E07000182", "E07000186"]


@pytest.fixture(scope="module")
def bridge(data_dir) -> Bridge:
    return Bridge.from_data_dir(str(data_dir))


@pytest.mark.parametrize("code", SHROPSHIRE_2009)
def test_pre_2009_shropshire_districts_recode_to_shropshire(bridge, code):
    assert bridge.recode(code) == [("E06000051", 1.0)]


def test_current_code_is_unchanged_and_named(bridge):
    assert bridge.recode("E08000025") == [("E08000025", 1.0)]
    assert bridge.name("E08000025") == "Birmingham"
    assert bridge.region_of("E08000025") == "E12000005"
    assert "E08000025" in bridge


def test_unknown_code_is_an_error_naming_it(bridge):
    with pytest.raises(migkit.AreaCodeError, match="E07999999"):
        bridge.recode("E07999999")
    with pytest.raises(migkit.AreaCodeError, match="XYZ"):
        bridge.recode("XYZ")
    assert issubclass(migkit.AreaCodeError, ValueError)


def test_vintage_before_2023_keeps_craven(bridge):
    assert bridge.recode("E07000163", vintage="2021-12-31") == [("E07000163", 1.0)]
    assert bridge.recode("E07000163") == [("E06000065", 1.0)]


def test_bad_vintage_is_a_parameter_error(bridge):
    with pytest.raises(migkit.MigkitError, match=r"vintage|period"):
        bridge.recode("E08000025", vintage="last tuesday")

"""The examples in the package's docstrings run (as pydantic-core does)."""

from __future__ import annotations

import doctest

import pytest

import migkit.estimate
import migkit.geography
import migkit.groups
import migkit.harmonise
import migkit.hotspot
import migkit.weights

MODULES = [
    migkit.estimate,
    migkit.geography,
    migkit.groups,
    migkit.harmonise,
    migkit.hotspot,
    migkit.weights,
]


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__ for m in MODULES])
def test_module_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0

"""The examples in the package's docstrings run (as pydantic-core does)."""

from __future__ import annotations

import doctest

import pytest

import migkit.geography
import migkit.groups
import migkit.harmonise


@pytest.mark.parametrize("module", [migkit.geography, migkit.groups, migkit.harmonise])
def test_module_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0

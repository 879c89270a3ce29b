"""Shared by the DNA tests: the CODIS 20 locus models of the default table, cached once."""

from __future__ import annotations

import pytest

from matching.dna.likelihood import LocusModel
from matching.dna.simulate import simulation_models


@pytest.fixture(scope="session")
def models() -> dict[str, LocusModel]:
    return simulation_models()

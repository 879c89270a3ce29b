"""Shared builders for the matching tests."""

from __future__ import annotations

import sys
from pathlib import Path

# The helper modules (synthetic_people) live beside the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))

"""The hypocorisms Mexicans use for one another (Lupe, Chuy, Pepe…) and the names they stand for.

The table is data (`matching/data/nicknames.csv`); a nickname may stand for several names
(BETO: ROBERTO, ALBERTO, HUMBERTO…), the first being the most usual.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from matching.text import fold


@cache
def nickname_table() -> dict[str, tuple[str, ...]]:
    """Every known nickname, folded, with the canonical given names it stands for."""
    text = resources.files("matching.data").joinpath("nicknames.csv").read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        nickname = fold(row["nickname"])
        names = tuple(fold(n) for n in row["canonical"].split("|") if n.strip())
        if nickname and names:
            table[nickname] = table.get(nickname, ()) + names
    return table


def canonical_names(word: str) -> tuple[str, ...]:
    """The given names a folded word may stand for: itself, or what the nickname abbreviates."""
    return nickname_table().get(word, (word,))

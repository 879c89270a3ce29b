"""Matching of missing-person reports and unidentified remains: pure functions, no database.

The registry builds `MatchRecord`s, indexes them in a `MatchIndex`, estimates parameters from
them, and asks for candidates, duplicate pairs or remains→report links. See docs/matching.md.
"""

from matching.index import MatchCandidate, MatchIndex, ScoredPair, estimate_parameters
from matching.parameters import MatchParameters, default_parameters
from matching.records import MatchRecord, PreparedRecord, prepare
from matching.scoring import Evidence, Explanation

__all__ = [
    "Evidence",
    "Explanation",
    "MatchCandidate",
    "MatchIndex",
    "MatchParameters",
    "MatchRecord",
    "PreparedRecord",
    "ScoredPair",
    "default_parameters",
    "estimate_parameters",
    "prepare",
]

"""What a DNA result rests on, in words a reviewer reads: built only when asked for.

The explanation never carries a genotype: investigators see likelihood ratios, the references
used and the loci compared, not the profiles (geneticists read those elsewhere).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matching.dna.pedigree import KinshipLR, references_label

KAPPA_NOTE = (
    "only distant relatives gave references (grandparent, aunt/uncle or cousin): pairwise IBD (κ) formula "
    "with the nearest one, a weak test; the others were not used"
)
DROPOUT_NOTE = "degraded remains: a single allele at {loci} was treated as a possible drop-out, not a homozygote"


@dataclass(frozen=True, slots=True)
class DnaExplanation:
    """The LR of one remains–missing person pair and everything it rests on."""

    lr: float
    log10_lr: float
    references: str
    loci_compared: tuple[str, ...]
    loci_incompatible: tuple[str, ...]
    loci_not_compared: tuple[str, ...]
    frequency_table: str
    theta: float
    mutation_model: str
    kappa_note: str | None
    dropout_note: str | None

    def lines(self) -> list[str]:
        """The explanation as short sentences, most important first."""
        strength = "excludes" if self.log10_lr == -math.inf else f"LR {self.lr:.3g} (log10 {self.log10_lr:.2f})"
        lines = [
            f"{strength} from {self.references} over {len(self.loci_compared)} loci",
            f"frequencies {self.frequency_table}, θ = {self.theta}, mutation model {self.mutation_model}",
        ]
        if self.loci_incompatible:
            names = ", ".join(self.loci_incompatible)
            lines.append(f"{len(self.loci_incompatible)} loci inconsistent unless by mutation: {names}")
        if self.loci_not_compared:
            lines.append(f"not compared (unknown to the table or off-ladder): {', '.join(self.loci_not_compared)}")
        lines.extend(note for note in (self.kappa_note, self.dropout_note) if note)
        return lines


def explain(result: KinshipLR) -> DnaExplanation:
    """The explanation of a kinship LR: its value, the references (`mother+full_sibling`), the loci, the notes."""
    dropout = tuple(locus.locus for locus in result.loci if locus.dropout)
    return DnaExplanation(
        lr=result.lr,
        log10_lr=result.log10_lr,
        references=references_label(result.references),
        loci_compared=tuple(locus.locus for locus in result.loci),
        loci_incompatible=result.loci_incompatible,
        loci_not_compared=result.loci_not_compared,
        frequency_table=result.settings.table,
        theta=result.settings.theta,
        mutation_model=result.settings.mutation.kind.value,
        kappa_note=KAPPA_NOTE if result.kappa else None,
        dropout_note=DROPOUT_NOTE.format(loci=", ".join(dropout)) if dropout else None,
    )

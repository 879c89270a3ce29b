"""Builders of DNA test data: records to attach samples to, and simulated families as interchange rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from matching.dna.markers import Profile
from matching.dna.simulate import Configuration, simulate_case, simulation_models
from registry.actor import SYSTEM
from registry.db import transaction
from registry.record_types import REMAINS, REPORTS
from registry.services import records as records_service
from tests.builders import remains_payload, report_payload

SAMPLES_HEADER = ["lab", "sample_id", "kind", "record_source", "record_folio", "relationship", "donor_id",
                  "child_donor_id", "kit", "collected_date", "degraded"]  # fmt: skip
GENOTYPES_HEADER = ["sample_id", "lab", "marker", "allele_1", "allele_2"]


def add_report(session: Session, source: str, folio: str, **overrides: Any) -> str:
    data = report_payload(source=source, folio=folio, last_seen_state=source, **overrides)
    saved = records_service.create_record(session=session, rtype=REPORTS,
                                          data=REPORTS.create_schema.model_validate(data), actor=SYSTEM)  # fmt: skip
    return str(saved.record.id)


def add_remains(session: Session, source: str, folio: str, **overrides: Any) -> str:
    data = remains_payload(source=source, folio=folio, found_state=source, **overrides)
    saved = records_service.create_record(session=session, rtype=REMAINS,
                                          data=REMAINS.create_schema.model_validate(data), actor=SYSTEM)  # fmt: skip
    return str(saved.record.id)


def genotype_rows(lab: str, sample_id: str, profile: Profile) -> list[dict[str, str]]:
    return [
        {"sample_id": sample_id, "lab": lab, "marker": marker, "allele_1": a, "allele_2": b}
        for marker, (a, b) in sorted(profile.loci.items())
    ]


@dataclass
class DnaCase:
    """A missing person's report with its references, and remains that are (or are not) that person."""

    samples: list[dict[str, str]]
    genotypes: list[dict[str, str]]
    report_id: str
    remains_id: str


def family_case(
    sessions: sessionmaker[Session],
    *,
    seed: int,
    source: str = "JAL",
    configuration: Configuration = Configuration.BOTH_PARENTS,
    true_remains: bool = True,
    lab: str = "FGE-JAL",
) -> DnaCase:
    """One simulated family stored as a report (and remains), its samples and genotypes as import rows."""
    rng = np.random.default_rng(seed)
    models = simulation_models()
    case = simulate_case(rng, models, configuration)
    remains_profile = case.missing if true_remains else simulate_case(rng, models, Configuration.DIRECT).missing
    report_folio, remains_folio = f"{source}-DNA-{seed}", f"SEMEFO-{source}-{seed}"
    with transaction(sessions) as session:
        report_id = add_report(session, source, report_folio)
        remains_id = add_remains(session, source, remains_folio)
    samples = [
        {"lab": lab, "sample_id": f"R-{seed}", "kind": "remains", "record_source": source,
         "record_folio": remains_folio, "kit": "GlobalFiler"},
    ]  # fmt: skip
    genotypes = genotype_rows(lab, f"R-{seed}", remains_profile)
    for number, reference in enumerate(case.family.references):
        sample_id = f"F-{seed}-{number}"
        relationship = reference.relationship.value
        row = {"lab": lab, "sample_id": sample_id, "record_source": source, "record_folio": report_folio,
               "donor_id": f"D-{seed}-{reference.donor_id}", "kit": "GlobalFiler"}  # fmt: skip
        if relationship == "direct":
            row |= {"kind": "direct", "donor_id": ""}
        else:
            row |= {"kind": "reference", "relationship": relationship}
        if reference.child_donor_id:
            row["child_donor_id"] = f"D-{seed}-{reference.child_donor_id}"
        samples.append(row)
        genotypes += genotype_rows(lab, sample_id, reference.profile)
    return DnaCase(samples, genotypes, report_id, remains_id)

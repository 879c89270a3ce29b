"""The synthetic registry, streamed: reports, remains and the ground truth that links them.

Persons are drawn family by family, each from its own random stream, until exactly
`config.reports` reports exist. Reports are yielded as they are written; a person's later
reports are held back for a while (a bounded buffer) so that duplicates do not sit next to each
other. Remains are drawn in a second pass over the same persons, with unrelated remains
interleaved evenly. Nothing holds the whole dataset: memory stays flat as it grows.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from seed.config import SeedConfig
from seed.folios import FolioBook, ReportFolios, remains_folio
from seed.persons import Namesakes, draw_person
from seed.plans import Census, Fate, PersonPlan, draw_family, draw_plan, plan_family, take_census
from seed.profiles import profile_named
from seed.remains import draw_finding, write_remains
from seed.reports import ReportRecord, write_report
from seed.rng import Stream, derive

RecordKey = tuple[str, str]  # (source, folio)
# How many persons later a duplicate report may surface in the stream (mean, and cap).
_MEAN_HOLD = 1500
_MAX_HOLD = 8000


_NOBODYS_FATE = Fate(reports=1, found_dead=True, identified=False, located_alive=False)


def _reported_twice(fate: Fate, count: int) -> bool:
    return count > 1


def _found_dead(fate: Fate, count: int) -> bool:
    return fate.found_dead


@dataclass(frozen=True, slots=True)
class PlannedPerson:
    """A person's plan and the (source, folio) of each of their reports that made the cut."""

    plan: PersonPlan
    report_keys: tuple[RecordKey, ...]


@dataclass(frozen=True, slots=True)
class RemainsRecord:
    """Generated remains: the row, the true person, and the reports of that person (if any)."""

    row: dict[str, str]
    person_id: str
    links: tuple[RecordKey, ...]


@dataclass(frozen=True, slots=True)
class GroundTruth:
    """Which reports are the same person, and which remains belong to which reports."""

    duplicate_pairs: list[tuple[str, str, str, str]]
    remains_links: list[tuple[str, str, str, str]]


@dataclass(frozen=True, slots=True)
class CountedUnit:
    """A family unit's census, with each member's first report serial and report count
    (counts are cut so that the dataset holds exactly `config.reports` reports)."""

    census: Census
    first_serials: tuple[int, ...]
    report_counts: tuple[int, ...]


def iter_census(config: SeedConfig) -> Iterator[CountedUnit]:
    """Every family unit in order, counted, until the reports add up to `config.reports`."""
    serial = 0
    for unit in itertools.count():
        if serial >= config.reports:
            return
        census = take_census(config, unit)
        firsts: list[int] = []
        counts: list[int] = []
        for fate in census.fates:
            count = min(fate.reports, config.reports - serial)
            firsts.append(serial)
            counts.append(count)
            serial += count
        yield CountedUnit(census, tuple(firsts), tuple(counts))


def iter_planned(config: SeedConfig, wanted: Callable[[Fate, int], bool] | None = None) -> Iterator[PlannedPerson]:
    """Reported persons in order with the keys of their reports; only those `wanted` (given
    their fate and report count) when a filter is passed, which saves drawing the others."""
    folios = ReportFolios(config.reports, derive(config.seed, Stream.FOLIOS).getrandbits(32))
    for counted in iter_census(config):
        members = [
            count > 0 and (wanted is None or wanted(fate, count))
            for fate, count in zip(counted.census.fates, counted.report_counts, strict=True)
        ]
        if not any(members):
            continue
        plans = plan_family(config, counted.census)
        for plan, first, count, keep in zip(plans, counted.first_serials, counted.report_counts, members, strict=True):
            if not keep:
                continue
            keys = tuple(
                (filing.source, folios.folio(filing.source, filing.filed.year, first + index))
                for index, filing in enumerate(plan.filings[:count])
            )
            yield PlannedPerson(plan, keys)


def generate_report_records(config: SeedConfig) -> Iterator[ReportRecord]:
    """Every report with its true person and the noise its clerk rolled (for tests, training)."""
    namesakes = Namesakes(config.seed)
    profile = profile_named(config.profile)
    held: list[tuple[int, int, ReportRecord]] = []
    sequence = itertools.count()
    for position, planned in enumerate(iter_planned(config)):
        while held and held[0][0] <= position:
            yield heapq.heappop(held)[2]
        person = draw_person(planned.plan, namesakes)
        rng = planned.plan.rng
        for index, (source, folio) in enumerate(planned.report_keys):
            record = write_report(person, index, source, folio, config.today, seed=config.seed, profile=profile)
            if index == 0:
                yield record
            else:
                hold = 1 + min(_MAX_HOLD, int(rng.expovariate(1 / _MEAN_HOLD)))
                heapq.heappush(held, (position + hold, next(sequence), record))
    while held:
        yield heapq.heappop(held)[2]


def generate_reports(config: SeedConfig) -> Iterator[dict[str, str]]:
    """Exactly `config.reports` missing-person report rows (interchange columns plus extras)."""
    for record in generate_report_records(config):
        yield record.row


def duplicate_pairs(config: SeedConfig) -> Iterator[tuple[str, str, str, str]]:
    """Every unordered pair of reports of the same person, once, as (left, right) keys."""
    for planned in iter_planned(config, _reported_twice):
        for left, right in itertools.combinations(sorted(planned.report_keys), 2):
            yield (*left, *right)


def _unrelated_remains(config: SeedConfig, index: int, namesakes: Namesakes, book: FolioBook) -> RemainsRecord:
    """Remains of someone nobody reported: a person drawn from its own stream, never in reports."""
    rng = derive(config.seed, Stream.UNLINKED, index)
    family = draw_family(rng, -1 - index, 1, config.today)
    plan = draw_plan(rng, family, 0, _NOBODYS_FATE, config.today)
    person = draw_person(plan, namesakes)
    noise = profile_named(config.profile).remains
    finding = draw_finding(rng, person, config.today, noise)
    year = finding.intake_date.year
    folio = remains_folio(finding.source, year, book.next_number(finding.source, year))
    row = write_remains(rng, person, finding, folio, linked=False, today=config.today, noise=noise)
    return RemainsRecord(row, f"U{index:07d}", ())


def generate_remains_records(config: SeedConfig) -> Iterator[RemainsRecord]:
    """Exactly `config.remains_count` remains: of reported persons found dead, and of others.

    A first cheap pass counts the reported persons found dead, so that the unrelated remains
    can be spread evenly among theirs.
    """
    total = config.remains_count
    found_dead = sum(
        1
        for counted in iter_census(config)
        for fate, count in zip(counted.census.fates, counted.report_counts, strict=True)
        if count > 0 and fate.found_dead
    )
    linked_total = min(total, found_dead)
    unlinked_total = total - linked_total
    namesakes = Namesakes(config.seed)
    noise = profile_named(config.profile).remains
    book = FolioBook()
    unlinked = 0
    for linked, planned in enumerate(iter_planned(config, _found_dead)):
        if linked >= linked_total:
            break
        while unlinked < linked * unlinked_total // linked_total:
            yield _unrelated_remains(config, unlinked, namesakes, book)
            unlinked += 1
        person = draw_person(planned.plan, namesakes)
        rng = planned.plan.rng  # continues after the person's details, as in every remains pass
        finding = draw_finding(rng, person, config.today, noise)
        year = finding.intake_date.year
        folio = remains_folio(finding.source, year, book.next_number(finding.source, year))
        row = write_remains(rng, person, finding, folio, linked=True, today=config.today, noise=noise)
        yield RemainsRecord(row, planned.plan.person_id, planned.report_keys)
    while unlinked < unlinked_total:
        yield _unrelated_remains(config, unlinked, namesakes, book)
        unlinked += 1


def generate_remains(config: SeedConfig) -> Iterator[dict[str, str]]:
    """Exactly `config.remains_count` unidentified-remains rows (interchange columns plus extras)."""
    for record in generate_remains_records(config):
        yield record.row


def remains_links(config: SeedConfig) -> Iterator[tuple[str, str, str, str]]:
    """For each remains of a reported person, one (remains, report) pair per report of them."""
    for record in generate_remains_records(config):
        for source, folio in record.links:
            yield (record.row["source"], record.row["folio"], source, folio)


def generate_truth(config: SeedConfig) -> GroundTruth:
    """The whole ground truth in memory (small: a few pairs per duplicated or found person)."""
    return GroundTruth(list(duplicate_pairs(config)), list(remains_links(config)))

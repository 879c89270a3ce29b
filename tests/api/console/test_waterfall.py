"""The waterfall of a pair's evidence: its steps add up to the pair's score."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.console import waterfall

EVIDENCE = st.lists(
    st.fixed_dictionaries(
        {"comparison": st.sampled_from(["surnames", "curp", "sex"]), "weight": st.floats(-20, 20), "text": st.just("x")}
    ),
    max_size=11,
)


@given(score=st.floats(0.0001, 0.9999), evidence=EVIDENCE)
def test_the_running_total_ends_at_the_pairs_probability(score: float, evidence: list[dict[str, object]]) -> None:
    chart = waterfall.build(score, evidence)
    assert abs(chart.probability - score) < 1e-6
    steps = chart.steps
    assert [s.kind for s in steps[:1] + steps[-1:]] == ["prior", "total"]
    assert len(steps) == len(evidence) + 2
    for before, after, item in zip(steps, steps[1:-1], evidence, strict=False):
        assert abs(after.total - (before.total + float(item["weight"]))) < 0.02  # type: ignore[arg-type]


@given(score=st.floats(0.0001, 0.9999), evidence=EVIDENCE)
def test_every_bar_lies_inside_the_chart(score: float, evidence: list[dict[str, object]]) -> None:
    chart = waterfall.build(score, evidence)
    for step in chart.steps:
        assert step.x >= waterfall.LABEL_WIDTH - 0.1
        assert step.x + step.width <= waterfall.LABEL_WIDTH + waterfall.CHART_WIDTH + 1.1


def test_a_comparison_against_is_drawn_as_such() -> None:
    chart = waterfall.build(0.2, [{"comparison": "sex", "weight": -8.0, "text": "different sex"}])
    assert [s.kind for s in chart.steps] == ["prior", "against", "total"]
    assert chart.steps[1].label == "different sex"

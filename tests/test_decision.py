"""The verdict rule (`rolefit.scoring.decision`): its parts agree with one another."""

from __future__ import annotations

import itertools

from rolefit.kb.models import Scoring
from rolefit.scoring.decision import KINDS, LABELS, Rule, verdict_kind


def test_why_neither_names_a_reason_exactly_when_the_verdict_is_neither() -> None:
    rule = Rule(Scoring(), questions=4)
    cases = itertools.product((False, True), (0, 2, 3), (0, 7), (49.9, 50.0, 88.0), (False, True))
    for eligible, skipped, weight, best, close in cases:
        kind = verdict_kind(eligible, rule.enough(weight, skipped), rule.low(best), close)
        why = rule.why_neither(eligible=eligible, weight=weight, skipped=skipped, best=best)
        assert (kind == "neither") == (why is not None), (eligible, skipped, weight, best, close)


def test_the_reasons_for_neither_come_in_their_order() -> None:
    rule = Rule(Scoring(), questions=4)
    assert rule.why_neither(eligible=False, weight=0, skipped=3, best=10.0) == "skipped"
    assert rule.why_neither(eligible=False, weight=0, skipped=2, best=10.0) == "nothing-counts"
    assert rule.why_neither(eligible=False, weight=5, skipped=2, best=10.0) == "ruled-out"
    assert rule.why_neither(eligible=True, weight=5, skipped=0, best=49.9) == "low"
    assert rule.why_neither(eligible=True, weight=5, skipped=0, best=50.0) is None


def test_decide_says_why_for_neither_only() -> None:
    rule = Rule(Scoring(), questions=2)
    assert rule.decide({"a": 80.0, "b": 30.0}, (), weight=1, skipped=0)[:2] == ("single", ("a",))
    assert rule.decide({"a": 80.0, "b": 30.0}, (), weight=1, skipped=0).why is None
    assert rule.decide({"a": 80.0, "b": 75.0}, (), weight=1, skipped=0)[:2] == ("both", ("a", "b"))
    assert rule.decide({"a": 80.0, "b": 75.0}, {"a", "b"}, weight=1, skipped=0).why == "ruled-out"
    assert rule.decide({"a": 40.0, "b": 35.0}, (), weight=1, skipped=0).why == "low"
    assert rule.decide({"a": 80.0, "b": 30.0}, (), weight=0, skipped=0).why == "nothing-counts"


def test_every_label_and_kind_is_reachable() -> None:
    rule = Rule(Scoring(clear_keeps=0.9, close_keeps=0.7), questions=3)
    labels = {
        rule.label(enough=enough, by_dealbreaker=dealbreaker, changes=10, flips=flips)
        for enough, dealbreaker, flips in itertools.product((False, True), (False, True), range(11))
    }
    assert labels == set(LABELS)
    assert {verdict_kind(*case) for case in itertools.product((False, True), repeat=4)} == set(KINDS)

"""Pick the fix for an error: split it into its errors, score each fix, answer honestly.

Evidence, strongest first:
- a strong rule (a phrase from the catalogue, or a code its priority trusts): the rules' own
  ranking decides between several (resources/fixes/README.md);
- the fix's example wordings, scored by similarity (similarity.py), up to `similarity_weight`;
- a weak rule: a bare code that means several things (XL03000006) or a context-only rule. A
  specific description that resembles another fix's examples wins over it;
- wrapper rules and wrapper phrases ("Could not create X record", "Result status: failure for
  Control ID", "Export failed:"): they only count when no error of the text says more.

The best fix below `unrecognised_below` gives the generic entry; fixes within
`runner_up_within` of the best are offered as "or, if ..." alternatives, and the answer is
`confident` only without them and above `confident_at`. All thresholds are data
(resources/fixes/matching.toml).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from wizard.gateway.errors import ErrorDetail

from .model import GENERIC_FIX_ID, MatchContext
from .rules import Rule, codes_in, normalise_text
from .similarity import ExampleIndex
from .wording import content_words, split_errors, strip_wrappers

STRONG, SIMILAR, WEAK, WRAPPER = "rule", "similar", "weak-rule", "wrapper"


@dataclass(frozen=True, slots=True)
class Settings:
    """How sure the matcher must be; loaded from matching.toml (defaults when absent)."""

    unrecognised_below: float = 0.6
    confident_at: float = 0.8
    runner_up_within: float = 0.06
    similarity_weight: float = 0.93
    wrappers: tuple[re.Pattern[str], ...] = ()
    # Word stems that mean the same in an error ("subscrib" / "subscrip"), each with the one
    # the examples are compared in; from matching.toml's [[same_meaning]] groups.
    same_meaning: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    fix_id: str
    score: float
    evidence: str
    rank: tuple[int, ...] = ()

    def key(self) -> tuple[float, int, tuple[int, ...]]:
        return (round(self.score, 6), self.evidence != WRAPPER, self.rank)


@dataclass(frozen=True, slots=True)
class Decision:
    fix_id: str
    confidence: float
    confident: bool
    alternatives: tuple[str, ...] = field(default=())


class Matcher:
    """Rules, example wordings and settings, ready to decide. Built once per catalogue."""

    def __init__(self, rules: Sequence[Rule], index: ExampleIndex, settings: Settings) -> None:
        self._rules = tuple(rules)
        self._index = index
        self._settings = settings

    def decide(
        self, details: Sequence[ErrorDetail], context: MatchContext, http: frozenset[str]
    ) -> Decision:
        specific: dict[str, Candidate] = {}
        fallback: dict[str, Candidate] = {}
        unmatched = False
        for detail in details:
            for part in _parts(detail):
                candidates, is_wrapper = self._score(detail, part, context, http)
                target = fallback if is_wrapper else specific
                for candidate in candidates:
                    _keep_best(target, candidate)
                if not is_wrapper and not any(
                    c.score >= self._settings.unrecognised_below for c in candidates
                ):
                    unmatched = True
        if any(c.score >= self._settings.unrecognised_below for c in specific.values()):
            pool = specific
        elif unmatched:
            pool = {}
        else:
            pool = {**specific}
            for candidate in fallback.values():
                _keep_best(pool, candidate)
        return self._answer(pool)

    def _score(
        self, detail: ErrorDetail, part: str, context: MatchContext, http: frozenset[str]
    ) -> tuple[list[Candidate], bool]:
        settings = self._settings
        codes = codes_in(ErrorDetail(detail.errorno, description2=part)) | http
        text = normalise_text(f"{detail.errorno} {part}")
        candidates: list[Candidate] = []
        strong_hit = False
        for rule in self._rules:
            if not rule.matches(codes, text, context):
                continue
            rank = rule.rank()
            if rule.wrapper:
                score, evidence = 0.5 + rule.priority / 1000, WRAPPER
            elif rule.strong:
                score, evidence, strong_hit = 0.97, STRONG, True
            elif rule.codes:
                score, evidence = 0.7 + rule.priority / 1000 + rule.condition_count / 100, WEAK
            else:
                score, evidence = 0.55 + rule.priority / 1000 + rule.condition_count / 100, WEAK
            candidates.append(Candidate(rule.fix_id, score, evidence, rank))
        residual = strip_wrappers(part, settings.wrappers)
        words = set(content_words(residual))
        if words:
            for fix_id, similarity in self._index.scores(residual, words).items():
                score = settings.similarity_weight * similarity
                candidates.append(Candidate(fix_id, score, SIMILAR))
        is_wrapper = len(words) < 2 and not strong_hit
        return candidates, is_wrapper

    def _answer(self, pool: dict[str, Candidate]) -> Decision:
        settings = self._settings
        if not pool:
            return Decision(GENERIC_FIX_ID, 0.0, False)
        ranked = sorted(pool.values(), key=Candidate.key, reverse=True)
        best = ranked[0]
        # A wrapper's fix ("Intacct refused the record") is known advice, never a confident one.
        too_weak = best.evidence != WRAPPER and best.score < settings.unrecognised_below
        if too_weak or best.fix_id == GENERIC_FIX_ID:
            return Decision(GENERIC_FIX_ID, round(best.score, 3), False)
        alternatives = tuple(
            c.fix_id
            for c in ranked[1:]
            if c.score >= settings.unrecognised_below
            and best.score - c.score <= settings.runner_up_within
            and c.evidence != WRAPPER
            and c.fix_id != GENERIC_FIX_ID
            and not _outranked(c, best)
        )[:2]
        confidence = round(min(best.score, 1.0), 3)
        confident = not alternatives and confidence >= settings.confident_at
        return Decision(best.fix_id, confidence, confident, alternatives)


def _outranked(candidate: Candidate, best: Candidate) -> bool:
    """The data ranks strong rules against each other: a lower-priority one is no rival."""
    both_rules = best.evidence == STRONG and candidate.evidence == STRONG
    return both_rules and candidate.rank[:1] < best.rank[:1]


def _parts(detail: ErrorDetail) -> list[str]:
    message = detail.message
    if not message:
        return [""]
    return split_errors(message)


def _keep_best(into: dict[str, Candidate], candidate: Candidate) -> None:
    current = into.get(candidate.fix_id)
    if current is None or candidate.key() > current.key():
        into[candidate.fix_id] = candidate


__all__ = ["Decision", "Matcher", "Settings"]

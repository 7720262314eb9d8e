"""How close an error's words are to each fix's example wordings.

Each fix lists several wordings of its error in resources/fixes/*.toml (`examples`): Intacct's,
the SDKs', vendors' and the operating systems'. Both sides are reduced to their content words
(wording.py) and compared with rapidfuzz's token-set ratio: word order, extra words around the
error and small spelling differences cost little, while a different cause shares few words.
An example counts fully only when most of its own words are present, so a short example cannot
match any long text that happens to contain one of its words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .wording import content_words

# An example needs this many content words to say something specific.
MIN_EXAMPLE_WORDS = 2


@dataclass(frozen=True, slots=True)
class Example:
    fix_id: str
    text: str
    words: frozenset[str]


class ExampleIndex:
    """The example wordings of every fix, ready to score an error against."""

    def __init__(
        self, examples: Mapping[str, Sequence[str]], same_meaning: Mapping[str, str] | None = None
    ) -> None:
        """`same_meaning`: stem -> the stem it is compared as (matching.toml [[same_meaning]])."""
        self._same = dict(same_meaning or {})
        prepared: list[Example] = []
        for fix_id, texts in examples.items():
            for text in texts:
                words = self._canonical(content_words(text))
                prepared.append(Example(fix_id, " ".join(sorted(words)), frozenset(words)))
        self._examples = tuple(prepared)
        self._choices = [example.text for example in prepared]
        self._weights = _word_weights(prepared)

    def __len__(self) -> int:
        return len(self._examples)

    def scores(self, text: str, words: set[str] | None = None) -> dict[str, float]:
        """Each fix's best similarity (0..1) to the text; fixes with no close example omitted.

        `words`: the text's content words, when the caller has them already.
        """
        words = self._canonical(content_words(text) if words is None else words)
        if not words or not self._choices:
            return {}
        query = " ".join(sorted(words))
        best: dict[str, float] = {}
        near: dict[str, bool] = {}
        for _, score, index in process.extract(
            query, self._choices, scorer=fuzz.token_set_ratio, limit=25, score_cutoff=40
        ):
            example = self._examples[index]
            # Token-set ratio is 100 whenever one side's words are all in the other. Weigh it by
            # how much of the example is present (near-misses count via rapidfuzz on each word).
            total = sum(self._weight(word) for word in example.words)
            present = sum(self._weight(w) for w in example.words if _has(w, words, near))
            coverage = present / total
            # A two-word example is weaker evidence than a sentence, however well it matches.
            brevity = min(1.0, 0.7 + 0.1 * len(example.words))
            value = (score / 100.0) * (0.5 + 0.5 * coverage) * brevity
            if value > best.get(example.fix_id, 0.0):
                best[example.fix_id] = value
        return best

    def _canonical(self, words: Iterable[str]) -> set[str]:
        return {self._same.get(word, word) for word in words}

    def _weight(self, word: str) -> float:
        return self._weights.get(word, 1.0)


def _word_weights(examples: Sequence[Example]) -> dict[str, float]:
    """How telling each word is: words that many fixes' examples share weigh less (IDF).

    Counted per fix, not per example, so a fix with many wordings does not make its own words
    look common. A word in one fix's examples only weighs most; "connection" or "invalid",
    which several fixes use, weigh less, so sharing them says less about which fix it is.
    """
    fixes_with: dict[str, set[str]] = {}
    for example in examples:
        for word in example.words:
            fixes_with.setdefault(word, set()).add(example.fix_id)
    fix_count = len({example.fix_id for example in examples}) or 1
    return {word: math.log(1.0 + fix_count / len(fix_ids)) for word, fix_ids in fixes_with.items()}


def _has(word: str, words: set[str], near: dict[str, bool]) -> bool:
    """The word is in the text, or a long word is there with a small spelling difference."""
    if word in words:
        return True
    if len(word) < 6:
        return False
    if word not in near:
        near[word] = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=85) is not None
    return near[word]


def example_word_count(text: str) -> int:
    """How many content words an example has (examples that say too little are refused)."""
    return len(set(content_words(text)))


__all__ = ["MIN_EXAMPLE_WORDS", "ExampleIndex", "example_word_count"]

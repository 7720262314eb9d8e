"""What the catalogue hands out (`Fix`) and what a caller knows about an error (`MatchContext`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.gateway.errors import ErrorLevel

GENERIC_FIX_ID = "unrecognised-error"

# Facts a caller may know about the situation, beyond level/function/object/entity. Rules in
# resources/fixes/*.toml may require them with `situation = [...]`.
SITUATIONS: dict[str, str] = {
    "udd": "the object is a user-defined dimension (a Platform object enabled as a GL dimension)",
    "company-id-padded": "the stored Company ID starts or ends with a blank",
}


@dataclass(frozen=True, slots=True)
class Fix:
    """One entry of the catalogue: what went wrong, in plain words, and how to put it right.

    `steps` hold exact menu paths (Intacct's or the wizard's). `verified_by` is the id of the
    check (wizard/checks) that confirms the fix worked, or None when retrying the failed record
    is the only test. `error_text` and `support_id` are filled in by `match()` with what the
    error said (redacted), so a screen or report can show them next to the fix. `examples` are
    other wordings of the same error, used by the matcher to recognise it however it is worded.
    """

    id: str
    title: str
    cause: str
    steps: tuple[str, ...]
    who: str
    verified_by: str | None = None
    links: tuple[str, ...] = ()
    error_text: str = ""
    support_id: str = ""
    examples: tuple[str, ...] = ()
    # Filled by match(): how sure the matcher is (0..1); `confident` when it has one clear
    # answer; the runner-up fixes when another cause scored almost as well ("or, if ...").
    confidence: float = 1.0
    confident: bool = True
    alternatives: tuple[Fix, ...] = ()

    @property
    def is_generic(self) -> bool:
        """True for the catch-all entry given when no specific fix matched."""
        return self.id == GENERIC_FIX_ID


@dataclass(frozen=True, slots=True)
class MatchContext:
    """Where an error happened, as far as the caller knows (None = unknown).

    `level`: which part of the answer reported it. `function`/`object`: the gateway function
    (e.g. "create", "readByQuery") and object (e.g. "ARINVOICE"). `entity_level`: True when
    the session is signed in to an entity, False at the top level. `situation`: extra facts,
    names from `SITUATIONS`. `integration`: the id of the integration whose screen showed the
    error (resources/integrations); None when not known.
    """

    level: ErrorLevel | None = None
    function: str | None = None
    object: str | None = None
    entity_level: bool | None = None
    situation: frozenset[str] = field(default_factory=frozenset)
    integration: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.situation) - SITUATIONS.keys()
        if unknown:
            raise ValueError(
                f"Unknown situation {sorted(unknown)}; known ones are {sorted(SITUATIONS)}."
            )

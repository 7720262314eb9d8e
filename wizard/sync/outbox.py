"""The outbox model: kinds of local records pushed to Intacct, their states and legal moves.

A record's life (the store enforces it):

    pending --mark_in_flight--> in_flight --mark_landed--> landed (final, has the Intacct key)
       ^  |                        |  |
       |  +--ignore--> ignored     |  +--mark_failed--> failed --retry--> pending
       |                  |        |                      |
       +----unignore------+        +--resolve_in_flight   +--ignore--> ignored
                                      (looked up in Intacct: landed if found, else pending)

`in_flight` means "sent, outcome unknown": it is committed before the request leaves, so after
a crash the engine looks the record up in Intacct before sending it again (exactly once).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class OutboxKind(StrEnum):
    """What a local record becomes in Intacct. Declared in push order."""

    CUSTOMER = "customer"
    INVOICE = "invoice"
    CONVENIENCE_FEE_INVOICE = "convenience_fee_invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    CARD_ACCOUNT = "card_account"
    CARD_CHARGE = "card_charge"

    @property
    def rank(self) -> int:
        """Position in push order: customers before invoices before payments."""
        return list(OutboxKind).index(self)


class OutboxState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    LANDED = "landed"
    FAILED = "failed"
    IGNORED = "ignored"


# Every legal move: (from, to).
TRANSITIONS: frozenset[tuple[OutboxState, OutboxState]] = frozenset(
    {
        (OutboxState.PENDING, OutboxState.IN_FLIGHT),
        (OutboxState.PENDING, OutboxState.IGNORED),
        (OutboxState.IN_FLIGHT, OutboxState.LANDED),
        (OutboxState.IN_FLIGHT, OutboxState.FAILED),
        (OutboxState.IN_FLIGHT, OutboxState.PENDING),
        (OutboxState.FAILED, OutboxState.PENDING),
        (OutboxState.FAILED, OutboxState.IGNORED),
        (OutboxState.IGNORED, OutboxState.PENDING),
    }
)


class IllegalTransition(Exception):
    """A record was asked to move in a way its life does not allow (a bug in the caller)."""

    def __init__(self, record_id: int, current: OutboxState | None, wanted: OutboxState) -> None:
        self.record_id = record_id
        self.current = current
        self.wanted = wanted
        if current is None:
            text = f"Outbox record {record_id} does not exist, so it cannot become {wanted.value}."
        else:
            text = (
                f"Outbox record {record_id} is {current.value} and cannot become "
                f"{wanted.value}" + _HINTS.get((current, wanted), ".")
            )
        super().__init__(text)


_HINTS: dict[tuple[OutboxState, OutboxState], str] = {
    (OutboxState.IN_FLIGHT, OutboxState.IGNORED): (
        ": it was sent and the outcome is unknown; look it up in Intacct first."
    ),
    (OutboxState.IN_FLIGHT, OutboxState.IN_FLIGHT): (
        ": it was already sent; look it up in Intacct before sending it again."
    ),
    (OutboxState.PENDING, OutboxState.LANDED): ": it has not been sent yet.",
}


@dataclass(frozen=True)
class OutboxRecord:
    """One local record waiting for, on its way to, or landed in Intacct."""

    id: int
    kind: OutboxKind
    local_id: str
    document_no: str | None
    payload_json: str
    depends_on: int | None
    state: OutboxState
    intacct_key: str | None
    attempts: int
    last_error: str | None
    created_at: str
    updated_at: str

    @property
    def payload(self) -> Mapping[str, Any]:
        value: Mapping[str, Any] = json.loads(self.payload_json)
        return value

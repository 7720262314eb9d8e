"""Gateway errors behave as Python exceptions must wherever they travel."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator

import pytest

from wizard.gateway import ErrorDetail, ErrorLevel, GatewayError, TransportError


@contextlib.contextmanager
def step() -> Iterator[None]:
    yield


@pytest.mark.parametrize("kind", [GatewayError, TransportError])
def test_an_error_passes_out_of_a_with_block_unchanged(kind: type[GatewayError]) -> None:
    error = kind(ErrorLevel.RESULT, "Intacct refused it", (ErrorDetail("BL01001973", "No"),))
    with pytest.raises(kind) as raised, step():
        raise error
    assert raised.value is error
    error.add_note("seen by the sync")  # Python sets attributes on exceptions as they travel
    assert error.__notes__ == ["seen by the sync"]
    # Exceptions are compared and hashed by identity: two refusals with the same words are
    # still two events (a set of errors seen keeps both), and Python's own machinery, which
    # keeps exceptions in sets while it formats chained tracebacks, must be able to hash them.
    twin = kind(ErrorLevel.RESULT, "Intacct refused it", (ErrorDetail("BL01001973", "No"),))
    assert error != twin
    assert len({error, twin, error}) == 2
    try:
        try:
            raise twin
        except kind as first:
            raise error from first
    except kind as chained:
        shown = "".join(traceback.format_exception(chained))
    assert shown.count("Intacct refused it") == 2

"""Gateway errors behave as Python exceptions must wherever they travel."""

from __future__ import annotations

import contextlib
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
    assert {error} == {error}  # hashable by identity

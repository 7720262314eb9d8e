"""Gateway errors the sandbox answers with, and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GatewayError:
    """One `<error>` of an `<errormessage>`."""

    errorno: str
    description2: str
    description: str = ""
    correction: str = ""


class SandboxDataError(ValueError):
    """A file under resources/sandbox/ is missing or does not hold what the sandbox needs."""


class Failure(Exception):
    """A failure answered with one or more gateway errors."""

    def __init__(self, *errors: GatewayError) -> None:
        super().__init__("; ".join(f"{e.errorno} {e.description2}" for e in errors))
        self.errors = errors


class ControlFailure(Failure):
    """Fails the whole request at the control level (no operation runs)."""

    def __init__(self, *errors: GatewayError, echo_control: bool = True) -> None:
        super().__init__(*errors)
        self.echo_control = echo_control


class AuthFailure(Failure):
    """Fails one operation at the authentication level (no function runs)."""

    def __init__(self, *errors: GatewayError) -> None:
        super().__init__(*errors)
        # The user and company IDs the failed authentication block echoes back.
        self.echo: tuple[str, str] = ("", "")


class ResultFailure(Failure):
    """Fails one function; the others run on (unless the operation is a transaction)."""


def result_error(errorno: str, description2: str, correction: str = "") -> ResultFailure:
    return ResultFailure(GatewayError(errorno, description2, correction=correction))

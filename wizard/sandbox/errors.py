"""Gateway errors the sandbox answers with, and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# The parts of an error a strict sandbox leaves out when they are chosen (no public source):
# the correction and description texts are dropped, a chosen code becomes the generic one.
DROPPED_WHEN_CHOSEN = ("description", "correction")


@dataclass(frozen=True)
class GatewayError:
    """One `<error>` of an `<errormessage>`.

    `chosen` names the parts no public source gives (picked for the sandbox);
    `generic_errorno` is the documented code a real Intacct answers instead of a chosen one.
    """

    errorno: str
    description2: str
    description: str = ""
    correction: str = ""
    chosen: frozenset[str] = field(default=frozenset(), compare=False)
    generic_errorno: str = field(default="", compare=False)

    def documented(self) -> GatewayError:
        """The error as far as public sources document it (what the strict sandbox sends)."""
        if not self.chosen:
            return self
        changes: dict[str, object] = {k: "" for k in DROPPED_WHEN_CHOSEN if k in self.chosen}
        if "errorno" in self.chosen and self.generic_errorno:
            changes["errorno"] = self.generic_errorno
        return replace(self, **changes, chosen=frozenset())  # type: ignore[arg-type]


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

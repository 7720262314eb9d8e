"""The demo connection's choices (resources/checks/demo.toml), loaded and validated.

A saved `Profile` holds its own: flows, dimension and custom-field maps, and the posting
choices (`PostingChoices`: accounts, deposit accounts, payment posting, number prefix).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.connection import Mappings, PostingChoices
from wizard.connection.profile import ProfileDataError
from wizard.resources import resource_path


class ChoicesError(ValueError):
    """A choices file is wrong; the message names the file and the setting."""


@dataclass(frozen=True)
class DemoChoices:
    entity_id: str
    mappings: Mappings
    posting: PostingChoices
    start_date: dt.date  # the oldest document date the demo sync posts


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ChoicesError(f"{where} must be a list of texts.")
    return tuple(value)


def _pairs(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ChoicesError(f"{where} must be a table of texts.")
    return tuple((str(k), str(v)) for k, v in value.items())


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ChoicesError(f"{where}: {key} must be a text.")
    return value


def _months_back(value: Any, where: str, today: dt.date) -> dt.date:
    if not isinstance(value, int) or not 0 <= value <= 12:
        raise ChoicesError(f"{where}: start_months_back must be a whole number from 0 to 12.")
    month = today.year * 12 + today.month - 1 - value
    return dt.date(month // 12, month % 12 + 1, 1)


def load_demo_choices(path: Path | None = None, today: dt.date | None = None) -> DemoChoices:
    path = path or resource_path("checks", "demo.toml")
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ChoicesError(f"{where} could not be read: {error}") from None
    posting = data.get("posting", {})
    if not isinstance(posting, dict):
        raise ChoicesError(f"{where}: [posting] must be a table.")
    mappings = Mappings(
        default_location=_text(data, "default_location", where),
        default_department=_text(data, "default_department", where),
        dimensions=_pairs(data.get("dimensions", {}), f"{where}: dimensions"),
        custom_fields=_pairs(data.get("custom_fields", {}), f"{where}: custom_fields"),
        flows=_texts(data.get("flows", []), f"{where}: flows"),
    )
    try:
        choices = PostingChoices(
            gl_accounts=_texts(posting.get("gl_accounts", []), f"{where}: gl_accounts"),
            deposit_accounts=_texts(
                posting.get("deposit_accounts", []), f"{where}: deposit_accounts"
            ),
            payment_posting=_text(posting, "payment_posting", where) or "summary",
            document_number_prefix=_text(posting, "document_number_prefix", where),
            undeposited_account=_text(posting, "undeposited_account", where),
        )
    except ProfileDataError as error:
        raise ChoicesError(f"{where}: {error}") from None
    return DemoChoices(
        entity_id=_text(data, "entity_id", where),
        mappings=mappings,
        posting=choices,
        start_date=_months_back(
            data.get("start_months_back", 0), where, today or dt.datetime.now(dt.UTC).date()
        ),
    )

"""Shared by the REST tests (a module name of its own: every test folder has a conftest)."""

from __future__ import annotations

from collections.abc import Callable

from wizard.rest import RestClient

MakeClient = Callable[..., RestClient]

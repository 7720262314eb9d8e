"""Shared by the REST tests (a module name of its own: every test folder has a conftest)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from wizard.rest import RestClient
from wizard.sandbox import Sandbox

MakeClient = Callable[..., RestClient]


def sign_in_in_browser(sandbox: Sandbox, url: str, accept: bool = True) -> str:
    """Open the sign-in page at `url`, sign in and Accept (or Decline): the address the browser
    ends on, which the admin pastes back."""
    page = httpx.get(url)
    assert page.status_code == 200 and "Accept" in page.text
    form = dict(httpx.QueryParams(url.split("?", 1)[1]))
    form |= {
        "company_id": sandbox.company.id,
        "user_id": sandbox.company.user_id,
        "password": sandbox.company.user_password,
        "decision": "accept" if accept else "decline",
    }
    answer = httpx.post(url.split("?", 1)[0], data=form)
    assert answer.status_code == 302
    return str(answer.headers["Location"])

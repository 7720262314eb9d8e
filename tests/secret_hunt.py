"""Hunt for secrets in everything a run left behind: files, zip members, output, exceptions.

    from secret_hunt import assert_no_secrets, spellings
    assert_no_secrets([home, report_zip], [stdout, stderr, str(error)], [password, session_id])

Each secret is looked for in every spelling it can take on its way out: raw, XML-escaped,
URL-encoded (quote and quote_plus, lower-case hex, a URL's user:password part), JSON- and
repr-escaped. Files are searched whole (bytes decoded as
UTF-8 with replacement, and as UTF-16 for Windows-style text); a .zip file is searched member
by member; a folder is searched recursively.

(Named secret_hunt.py, not secrets.py: pytest puts tests/ first on sys.path, and a module
called `secrets` there would hide the standard library's, which the sandbox uses.)
"""

from __future__ import annotations

import html
import json
import urllib.parse
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path


def spellings(secret: str) -> set[str]:
    """The forms a secret can take in text we write."""
    return {
        secret,
        html.escape(secret, quote=False),
        html.escape(secret, quote=True),
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=True)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        urllib.parse.quote(secret),  # '/' left as is
        urllib.parse.quote(secret, safe="").lower(),  # %2f
        urllib.parse.quote(secret, safe="!$&'()*+,;=:"),  # a URL's user:password part
    }


def _texts_of(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for a file, each member of a zip, or every file under a folder."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file():
                yield from _texts_of(child)
        return
    if not path.is_file():
        return
    data = path.read_bytes()
    yield str(path), data.decode("utf-8", "replace")
    yield f"{path} (as UTF-16)", data.decode("utf-16-le", "replace")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as bundle:
            for member in bundle.namelist():
                yield f"{path}!{member}", bundle.read(member).decode("utf-8", "replace")


def find_secrets(paths: Iterable[Path], texts: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """Where each secret was found, as "where: spelling" lines (empty when clean)."""
    wanted = {form for secret in secrets if secret for form in spellings(secret)}
    found: list[str] = []
    sources: list[tuple[str, str]] = []
    for path in paths:
        sources.extend(_texts_of(Path(path)))
    sources.extend((f"text #{n}", text) for n, text in enumerate(texts, 1))
    for where, text in sources:
        for form in wanted:
            if form in text:
                found.append(f"{where}: {form!r}")
    return found


def assert_no_secrets(paths: Iterable[Path], texts: Iterable[str], secrets: Iterable[str]) -> None:
    """Fail, naming every place, if any secret appears anywhere in `paths` or `texts`."""
    secrets = [s for s in secrets if s]
    assert secrets, "no secrets to hunt for: the test planted nothing"
    found = find_secrets(paths, texts, secrets)
    assert not found, "secrets found:\n" + "\n".join(found)

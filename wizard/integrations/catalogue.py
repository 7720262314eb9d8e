"""Load and validate resources/integrations/*.toml: one file per integration, plus `_intacct.toml`.

`_intacct.toml` holds Intacct's own facts the files share: each module's name and, for each
object, the module › permission that guards it. Every other file is one integration, named
`<id>.toml`. Everything is checked at load; a mistake raises `IntegrationCatalogueError`
naming the file and the entry, so a support person sees what to correct. Adding an integration
is adding a file.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from wizard.connection import ConnectionMethod, CustomNeeds
from wizard.fixes import CHECK_IDS, Catalogue, load_catalogue
from wizard.resources import resource_path, resources_dir
from wizard.table_checks import TableChecker

from .custom import CUSTOM_INTEGRATION_ID, custom_integration
from .model import (
    OPERATIONS,
    OWN_INTEGRATION_ID,
    READ_OPERATIONS,
    DocumentKind,
    EntityRule,
    Integration,
    Level,
    Methods,
    Need,
    Package,
    Permission,
    Sender,
    Setting,
    SuggestedUser,
)

SHARED_FILE = "_intacct.toml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = {
    "id",
    "name",
    "vendor",
    "sender",
    "user",
    "need",
    "entity_rule",
    "setting",
    "reads",
    "writes",
    "package",
    "steps",
    "links",
    "connection",
}


class IntegrationCatalogueError(ValueError):
    """The integration data is wrong; the message names the file and the entry."""


_CHECK = TableChecker(IntegrationCatalogueError)
_expect_keys = _CHECK.expect_keys
_text = _CHECK.text
_texts = _CHECK.texts


class IntegrationCatalogue:
    """The integrations by id, in display order (the wizard's own sync first, then by name)."""

    def __init__(
        self,
        integrations: Mapping[str, Integration],
        permissions: Mapping[str, Permission] | None = None,
    ) -> None:
        # Every object _intacct.toml knows, with its module › permission: what a custom
        # integration ("Other / not listed") may tick.
        self.permissions: Mapping[str, Permission] = dict(permissions or {})
        own = [i for i in integrations.values() if i.is_own]
        others = sorted(
            (i for i in integrations.values() if not i.is_own), key=lambda i: i.name.casefold()
        )
        self._by_id = {i.id: i for i in (*own, *others)}

    def __iter__(self) -> Iterator[Integration]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, integration_id: object) -> bool:
        return integration_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, integration_id: str) -> Integration:
        """The integration with this id; KeyError says which ids exist."""
        try:
            return self._by_id[integration_id]
        except KeyError:
            raise KeyError(
                f"There is no integration {integration_id!r}. "
                f"Known integrations: {', '.join(self._by_id)}."
            ) from None

    @property
    def default(self) -> Integration:
        return self._by_id[OWN_INTEGRATION_ID]

    def resolve(self, integration_id: str, custom: CustomNeeds | None = None) -> Integration:
        """The integration a connection is for: a catalogue id, or "custom" built from the
        admin's ticks (CustomNeedsError says what is wrong with them)."""
        if integration_id == CUSTOM_INTEGRATION_ID:
            return custom_integration(custom or CustomNeeds(), self.permissions)
        return self.get(integration_id)


@functools.cache
def _default() -> IntegrationCatalogue:
    return _load(resource_path("integrations"), load_catalogue())


def load_integrations(
    folder: Path | str | None = None, fixes: Catalogue | None = None
) -> IntegrationCatalogue:
    """Every integration in `folder` (default resources/integrations, cached)."""
    if folder is None and fixes is None:
        return _default()
    return _load(
        Path(folder) if folder is not None else resource_path("integrations"),
        fixes or load_catalogue(),
    )


def _load(folder: Path, fixes: Catalogue) -> IntegrationCatalogue:
    shared = _read(folder / SHARED_FILE)
    _expect_keys(shared, {"modules", "objects"}, SHARED_FILE)
    modules = _modules(shared.get("modules"), SHARED_FILE)
    permissions = _permissions(shared.get("objects"), modules, SHARED_FILE)
    integrations: dict[str, Integration] = {}
    for file in sorted(folder.glob("*.toml")):
        if file.name.startswith("_"):
            continue
        if file.stem == CUSTOM_INTEGRATION_ID:
            raise IntegrationCatalogueError(
                f"{file.name}: the id {CUSTOM_INTEGRATION_ID!r} is kept for the integrations "
                "the admin describes by ticking (Other / not listed); rename the file."
            )
        integration = _integration(_read(file), file.name, file.stem, permissions)
        integrations[integration.id] = integration
    if OWN_INTEGRATION_ID not in integrations:
        raise IntegrationCatalogueError(
            f"{folder}: the wizard's own integration ({OWN_INTEGRATION_ID}.toml) is missing."
        )
    for rule in fixes.rules:
        unknown = sorted(set(rule.integrations) - integrations.keys())
        if unknown:
            raise IntegrationCatalogueError(
                f"{rule.origin}: integrations {', '.join(unknown)} are not in "
                f"resources/integrations (known: {', '.join(sorted(integrations))})."
            )
    return IntegrationCatalogue(integrations, permissions)


def _read(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise IntegrationCatalogueError(f"{file}: cannot be read as TOML: {error}") from None


def _modules(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise IntegrationCatalogueError(f"{where}: [modules] must map module codes to names.")
    for code, name in value.items():
        if not isinstance(name, str) or not name.strip():
            raise IntegrationCatalogueError(f"{where}: module {code!r} needs a name.")
    return {code: name.strip() for code, name in value.items()}


def _permissions(value: Any, modules: dict[str, str], where: str) -> dict[str, Permission]:
    if not isinstance(value, dict) or not value:
        raise IntegrationCatalogueError(f"{where}: [objects] must list the objects.")
    out: dict[str, Permission] = {}
    for name, entry in value.items():
        at = f"{where} [objects.{name}]"
        if not isinstance(entry, dict):
            raise IntegrationCatalogueError(f"{at} must be a table.")
        _expect_keys(entry, {"module", "permission", "source"}, at)
        module = _text(entry, "module", at)
        if module not in modules:
            raise IntegrationCatalogueError(
                f"{at}: module {module!r} is not in [modules] ({', '.join(modules)})."
            )
        out[name] = Permission(
            object=name,
            module=module,
            module_name=modules[module],
            name=_text(entry, "permission", at),
            source=_source(entry, at, chosen=True),
        )
    return out


def _integration(
    data: dict[str, Any], file: str, stem: str, permissions: dict[str, Permission]
) -> Integration:
    _expect_keys(data, _TOP_KEYS, file)
    integration_id = _text(data, "id", file)
    if not _ID.match(integration_id):
        raise IntegrationCatalogueError(
            f"{file}: id {integration_id!r} must be lower-case words joined by '-'."
        )
    if integration_id != stem:
        raise IntegrationCatalogueError(
            f"{file}: the id {integration_id!r} must be the file's name ({stem}.toml)."
        )
    needs = tuple(
        _need(entry, f"{file} need #{n}", permissions)
        for n, entry in enumerate(_tables(data, "need", file), 1)
    )
    if not needs:
        raise IntegrationCatalogueError(f"{file}: list what the integration needs in [[need]].")
    seen: set[str] = set()
    for need in needs:
        if need.object in seen:
            raise IntegrationCatalogueError(
                f"{file}: {need.object} is needed twice; put its operations in one [[need]]."
            )
        seen.add(need.object)
    by_object = {need.object: need for need in needs}
    reads = _texts(data, "reads", file)
    for obj in reads:
        if obj not in by_object or not READ_OPERATIONS & set(by_object[obj].operations):
            raise IntegrationCatalogueError(
                f"{file}: it reads {obj}, so a [[need]] must give {obj} list or view."
            )
    writes = tuple(
        _document(entry, f"{file} writes #{n}", by_object)
        for n, entry in enumerate(_tables(data, "writes", file), 1)
    )
    links = _texts(data, "links", file)
    for link in links:
        if not link.startswith("https://"):
            raise IntegrationCatalogueError(f"{file}: link {link!r} must start with https://.")
    package = data.get("package")
    return Integration(
        id=integration_id,
        name=_text(data, "name", file),
        vendor=_text(data, "vendor", file),
        sender=_sender(_table(data, "sender", file), f"{file} [sender]"),
        user=_user(_table(data, "user", file), f"{file} [user]"),
        needs=needs,
        entity_rules=tuple(
            _entity_rule(entry, f"{file} entity_rule #{n}")
            for n, entry in enumerate(_tables(data, "entity_rule", file), 1)
        ),
        settings=tuple(
            _setting(entry, f"{file} setting #{n}")
            for n, entry in enumerate(_tables(data, "setting", file), 1)
        ),
        reads=reads,
        writes=writes,
        package=None if package is None else _package(package, f"{file} [package]"),
        steps=_texts(data, "steps", file),
        links=links,
        origin=file,
        methods=_methods(_table(data, "connection", file), f"{file} [connection]"),
    )


def _methods(entry: dict[str, Any], where: str) -> Methods:
    """`[connection] methods = ["xml", "rest"]`: how it signs in, the usual way first."""
    _expect_keys(entry, {"methods", "source"}, where)
    names = entry.get("methods")
    known = [m.value for m in ConnectionMethod]
    if (
        not isinstance(names, list)
        or not names
        or any(name not in known for name in names)
        or len(set(names)) != len(names)
    ):
        raise IntegrationCatalogueError(
            f"{where}: methods must list how the integration signs in, each once, from "
            f"{', '.join(repr(k) for k in known)} (the usual way first); got {names!r}."
        )
    return Methods(tuple(ConnectionMethod(n) for n in names), _source(entry, where, chosen=True))


def _need(entry: dict[str, Any], where: str, permissions: dict[str, Permission]) -> Need:
    _expect_keys(entry, {"object", "operations", "source", "note"}, where)
    obj = _text(entry, "object", where)
    if obj not in permissions:
        raise IntegrationCatalogueError(
            f"{where}: object {obj!r} is not in {SHARED_FILE} [objects]; add it there with "
            "its module and permission name."
        )
    operations = _texts(entry, "operations", where)
    unknown = [op for op in operations if op not in OPERATIONS]
    if unknown or not operations:
        raise IntegrationCatalogueError(
            f"{where}: operations must be among {', '.join(OPERATIONS)} (got {list(operations)})."
        )
    ordered = tuple(op for op in OPERATIONS if op in operations)
    return Need(permissions[obj], ordered, _source(entry, where), str(entry.get("note", "")))


def _sender(entry: dict[str, Any], where: str) -> Sender:
    _expect_keys(entry, {"ids", "case", "source"}, where)
    ids = _texts(entry, "ids", where)
    return Sender(ids, _text(entry, "case", where), _source(entry, where) if ids else "")


def _user(entry: dict[str, Any], where: str) -> SuggestedUser:
    _expect_keys(entry, {"name", "type", "admin", "source"}, where)
    return SuggestedUser(
        _text(entry, "name", where),
        _text(entry, "type", where),
        _text(entry, "admin", where),
        _source(entry, where),
    )


def _entity_rule(entry: dict[str, Any], where: str) -> EntityRule:
    _expect_keys(entry, {"level", "text", "source"}, where)
    level = _text(entry, "level", where)
    if level not in {str(v) for v in Level}:
        raise IntegrationCatalogueError(f"{where}: level must be top, entity or either.")
    return EntityRule(Level(level), _text(entry, "text", where), _source(entry, where))


def _setting(entry: dict[str, Any], where: str) -> Setting:
    _expect_keys(entry, {"module", "name", "value", "how", "check", "source"}, where)
    check = str(entry.get("check", "")).strip()
    if check and check not in CHECK_IDS:
        raise IntegrationCatalogueError(
            f"{where}: check {check!r} is not a check id; use one of "
            f"{', '.join(sorted(CHECK_IDS))} or leave it out when Intacct does not tell."
        )
    return Setting(
        _text(entry, "module", where),
        _text(entry, "name", where),
        _text(entry, "value", where),
        _text(entry, "how", where),
        check,
        _source(entry, where),
    )


def _document(entry: dict[str, Any], where: str, needs: dict[str, Need]) -> DocumentKind:
    _expect_keys(entry, {"name", "object", "source"}, where)
    obj = _text(entry, "object", where)
    if obj not in needs or "add" not in needs[obj].operations:
        raise IntegrationCatalogueError(
            f"{where}: it writes {obj}, so a [[need]] must give {obj} add."
        )
    return DocumentKind(_text(entry, "name", where), obj, _source(entry, where))


def _package(entry: Any, where: str) -> Package:
    if not isinstance(entry, dict):
        raise IntegrationCatalogueError(f"{where} must be a table.")
    _expect_keys(entry, {"name", "text", "source"}, where)
    return Package(_text(entry, "name", where), _text(entry, "text", where), _source(entry, where))


def _source(entry: dict[str, Any], where: str, *, chosen: bool = False) -> str:
    """An https:// page, or a file of this project under resources/ (for the wizard's own);
    with `chosen`, also "chosen: why" where no public page spells the fact out."""
    value = entry.get("source")
    if not isinstance(value, str) or not value.strip():
        raise IntegrationCatalogueError(
            f"{where}: every fact needs a 'source' (the vendor's or Intacct's page that says so)."
        )
    value = value.strip()
    if value.startswith("https://") or (chosen and value.startswith("chosen: ")):
        return value
    if value.startswith("resources/") and (resources_dir().parent / value).is_file():
        return value
    raise IntegrationCatalogueError(
        f"{where}: source {value!r} must be an https:// page (or a file under resources/)."
    )


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise IntegrationCatalogueError(f"{where}: [{key}] is missing.")
    return value


def _tables(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise IntegrationCatalogueError(f"{where}: [[{key}]] must be an array of tables.")
    return value

"""Records to send, from files, for the First sync page: a file's first rows and what its
import would find (nothing written), adding it for real, and saving a blank template."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from wizard.sync.intake.files import UnreadableFile
from wizard.sync.intake.importer import Importer, preview_rows
from wizard.sync.intake.results import ImportResult, Problem
from wizard.sync.intake.templates import default_templates
from wizard.sync.store import Store

PREVIEW_ROWS = 5


@dataclass(frozen=True)
class FileReview:
    """What the admin sees before adding a file."""

    path: Path
    result: ImportResult  # the import run without writing anything
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # the first rows, cells in header order

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def what(self) -> str:
        """ "AR invoices, CSV in UTF-8" (or just the file's name when it could not be read)."""
        result = self.result
        if result.template is None or result.format is None:
            return self.path.name
        return f"{result.template.title}, {result.format.value.upper()} in {result.encoding}"


def review_file(store_path: Path, path: Path) -> FileReview:
    path = Path(path)
    with Store.open(store_path) as store:
        result = Importer(store).import_file(path, dry_run=True)
    try:
        opened, first = preview_rows(path, PREVIEW_ROWS)
    except UnreadableFile:
        return FileReview(path, result)
    header = list(opened.header)
    for row in first:  # JSON Lines records may hold keys the first one did not
        header.extend(k for k in row.values if k not in header)
    rows = tuple(tuple(row.values.get(name, "") for name in header) for row in first)
    return FileReview(path, result, tuple(header), rows)


def add_file(store_path: Path, path: Path) -> ImportResult:
    with Store.open(store_path) as store:
        return Importer(store).import_file(Path(path))


def template_titles() -> dict[str, str]:
    """Template name -> what the admin sees ("customers" -> "Customers")."""
    return {name: template.title for name, template in default_templates().items()}


def save_template(name: str, destination: Path) -> Path:
    """Copy the blank CSV template `name` to `destination`."""
    template = default_templates()[name]
    shutil.copyfile(template.file, destination)
    return Path(destination)


def problem_text(problem: Problem) -> str:
    return str(problem)

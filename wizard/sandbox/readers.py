"""The read functions: readByQuery + readMore, query, read, readByName."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from lxml import etree

from wizard.sandbox import messages
from wizard.sandbox.context import Context, ResultSet
from wizard.sandbox.errors import ResultFailure
from wizard.sandbox.objects import LazyRow, ObjectSpec, Row, Table, esc
from wizard.sandbox.query import (
    Compiler,
    Predicate,
    QuerySyntaxError,
    UnknownField,
    compile_filter,
    compile_query,
)
from wizard.sandbox.render import record_template, records


def _text(body: etree._Element, tag: str, default: str = "") -> str:
    found = body.find(tag)
    if found is None:
        return default
    return (found.text or "").strip()


def _pagesize(body: etree._Element, maximum: int) -> int:
    raw = _text(body, "pagesize", "100") or "100"
    try:
        size = int(raw)
    except ValueError:
        raise messages.fail("bad_pagesize", pagesize=raw, maximum=maximum) from None
    if not 1 <= size <= maximum:
        raise messages.fail("bad_pagesize", pagesize=raw, maximum=maximum)
    return size


def _return_format(ctx: Context, body: etree._Element, function: str) -> None:
    fmt = (_text(body, "returnFormat") or _text(body, "returnformat") or "xml").lower()
    if fmt != "xml":
        raise messages.fail("not_simulated", function=f"{function} with returnFormat {fmt}")


def select_fields(
    ctx: Context, spec: ObjectSpec, text: str
) -> tuple[tuple[str, ...], tuple[int, ...] | None]:
    """(field names, column picks or None for every column) for a `fields` list."""
    hidden = ctx.hidden_fields()
    names = [n.strip() for n in text.split(",") if n.strip()] or ["*"]
    if names == ["*"]:
        if not hidden:
            return spec.fields, None
        chosen = [f for f in spec.fields if f not in hidden]
    else:
        chosen = []
        for name in names:
            canonical = spec.canonical(name)
            if canonical is None or canonical in hidden:
                raise messages.fail("field_not_found", field=name)
            chosen.append(canonical)
    position = {f: i for i, f in enumerate(spec.fields)}
    return tuple(chosen), tuple(position[f] for f in chosen)


def matching(ctx: Context, table: Table, predicate: Predicate | None) -> Sequence[int]:
    """Indexes of the live rows this session may see that satisfy `predicate`, in order."""
    entity_column = ctx.visible(table)
    deleted = any(row is None for row in table.overrides.values())
    if predicate is None and entity_column is None and not deleted:
        return range(len(table))
    entity = esc(ctx.entity)
    out = array("l")  # 8 bytes a match, however many there are
    points = getattr(predicate, "points", None)
    if points is not None:
        field, values = points
        found = sorted({i for i in (table.find(field, v) for v in values) if i is not None})
        for index in found:
            row = table.row(index)
            if row is None or (
                entity_column is not None and row[entity_column] not in ("", entity)
            ):
                continue
            out.append(index)
        return out
    append = out.append
    row_of = table.row
    start = 0
    if table.base_columns and (entity_column is None or entity_column in table.base_columns):
        # Generated rows: the predicate reads only the columns it needs (no full rows).
        lazy = LazyRow(table, table.base_columns)
        overrides = table.overrides
        start = table.base_count
        for index in range(start):
            if index in overrides:
                row = row_of(index)
                if row is None:
                    continue
                view: Row | LazyRow = row
            else:
                view = lazy.at(index)
            if entity_column is not None and view[entity_column] not in ("", entity):
                continue
            if predicate is None or predicate(view):  # type: ignore[arg-type]
                append(index)
    for index in range(start, len(table)):
        row = row_of(index)
        if row is None:
            continue
        if entity_column is not None and row[entity_column] not in ("", entity):
            continue
        if predicate is None or predicate(row):
            append(index)
    return out


def _compile(ctx: Context, spec: ObjectSpec, table: Table, text: str) -> Predicate | None:
    compiler = Compiler(spec, table.position, ctx.hidden_fields())
    try:
        return compile_query(text, compiler)
    except UnknownField as unknown:
        raise messages.fail("field_not_found", field=unknown.name) from None
    except QuerySyntaxError as error:
        raise messages.fail("bad_query", detail=str(error)) from None


def _page(result: ResultSet, size: int) -> tuple[str, int, int]:
    start = result.position
    chunk = result.indices[start : start + size]
    table = result.table
    result.position = start + len(chunk)
    remaining = len(result.indices) - result.position
    fast = table.base_xml
    if fast is not None and result.picks is None and result.tag == table.spec.name.lower():
        # Generated rows that were never changed render straight from the generator.
        overrides, base_count = table.overrides, table.base_count
        template = record_template(result.tag, result.fields)
        parts = []
        for i in chunk:
            if i < base_count and i not in overrides:
                parts.append(fast(i))
            else:
                row = table.row(i)
                if row is not None:
                    parts.append(template % row)
        return "".join(parts), len(chunk), remaining
    rows: list[Row] = [r for r in (table.row(i) for i in chunk) if r is not None]
    return records(result.tag, result.fields, result.picks, rows), len(chunk), remaining


def read_by_query(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec(_text(body, "object"))
    ctx.check_permission(spec, "READ_BY_QUERY")
    _return_format(ctx, body, "readByQuery")
    size = _pagesize(body, 1000)
    fields, picks = select_fields(ctx, spec, _text(body, "fields", "*"))
    table = ctx.company.tables[spec.name]
    predicate = _compile(ctx, spec, table, _text(body, "query"))
    tag = spec.name.lower()
    indices = matching(ctx, table, predicate)
    result = ResultSet(table, tag, fields, picks, indices, 0, ctx.session_key, size)
    return _answer_page(ctx, result, size, None)


def _answer_page(ctx: Context, result: ResultSet, size: int, result_id: str | None) -> str:
    total = len(result.indices)
    rendered, count, remaining = _page(result, size)
    if remaining and result_id is None:
        result_id = ctx.results.add(result)
    elif not remaining and result_id is not None:
        ctx.results.drop(result_id)
    shown_id = result_id if remaining and result_id else ""
    head = (
        f'<data listtype="{result.tag}" count="{count}" totalcount="{total}" '
        f'numremaining="{remaining}" resultId="{shown_id}">'
    )
    return "".join([head, rendered, "</data>"])


def read_more(ctx: Context, body: etree._Element) -> str:
    result_id = _text(body, "resultId")
    if not result_id and _text(body, "object"):
        result_id = ctx.results.latest(ctx.session_key, _text(body, "object").upper()) or ""
    result = ctx.results.get(result_id) if result_id else None
    if result is None or result.session_key != ctx.session_key:
        raise messages.fail("bad_resultid", resultid=result_id)
    ctx.check_permission(result.table.spec, "READ_BY_QUERY")
    return _answer_page(ctx, result, result.pagesize, result_id)


def _flag(value: str) -> bool:
    """An XSD boolean option: true/1 (anything else, or absent, is the default false)."""
    return value.strip().lower() in ("true", "1")


def query(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec(_text(body, "object"))
    ctx.check_permission(spec, "READ_BY_QUERY")
    options = body.find("options")
    if options is not None and (_text(options, "returnformat") or "xml").lower() != "xml":
        raise messages.fail("not_simulated", function="query with returnformat json/csv")
    case_insensitive = options is not None and _flag(_text(options, "caseinsensitive"))
    size = _pagesize(body, 2000)
    raw_offset = _text(body, "offset", "0") or "0"
    if not raw_offset.isdigit():
        raise messages.fail("bad_offset", offset=raw_offset)
    offset = int(raw_offset)
    table = ctx.company.tables[spec.name]
    compiler = Compiler(spec, table.position, ctx.hidden_fields(), case_insensitive)
    select = body.find("select")
    if select is None or not len(select):
        raise messages.fail("bad_query", detail="<select> needs at least one field")
    try:
        filter_element = body.find("filter")
        predicate = None
        if filter_element is not None:
            conditions = [c for c in filter_element if isinstance(c.tag, str)]
            if len(conditions) != 1:
                raise QuerySyntaxError("<filter> must hold exactly one condition")
            predicate = compile_filter(conditions[0], compiler)
        plain: list[str] = []
        aggregates: list[tuple[str, str]] = []
        for item in select.iterchildren("*"):
            name, _ = compiler.field((item.text or "").strip())
            if item.tag == "field":
                plain.append(name)
            elif item.tag in ("count", "sum", "min", "max", "avg"):
                aggregates.append((item.tag, name))
            else:
                raise QuerySyntaxError(f"<{item.tag}> is not allowed in <select>")
        orderby = body.find("orderby")
        # The next page of the same query asks the same question of an unchanged table:
        # its answer is kept (per table version), as each page would otherwise scan it all.
        question = (
            b"" if filter_element is None else etree.tostring(filter_element),
            b"" if orderby is None else etree.tostring(orderby),
            ctx.entity,
            ctx.hidden_fields(),
            case_insensitive,
        )
        kept = table.query_results.get(question)
        if kept is not None and kept[0] == table.version:
            indices = kept[1]
            orderby = None  # already in order
        else:
            indices = list(matching(ctx, table, predicate))
        if orderby is not None:
            for order in reversed([o for o in orderby if o.tag == "order"]):
                name, column = compiler.field(_text(order, "field"))
                descending = order.find("descending") is not None
                if name == "RECORDNO":  # row i holds RECORDNO i + 1: no row needs building
                    indices.sort(reverse=descending)
                    continue
                key = compiler.key(name)
                indices.sort(key=lambda i: key(table.row(i)[column]), reverse=descending)  # type: ignore[index]
        if kept is None or kept[0] != table.version:
            if len(table.query_results) >= 16:
                table.query_results.pop(next(iter(table.query_results)))
            table.query_results[question] = (table.version, indices)
    except UnknownField as unknown:
        raise messages.fail("field_not_found", field=unknown.name) from None
    except QuerySyntaxError as error:
        raise messages.fail("bad_query", detail=str(error)) from None
    tag = spec.name
    if aggregates:
        return _aggregate(table, tag, indices, plain, aggregates, compiler)
    total = len(indices)
    chunk = indices[offset : offset + size]
    picks = tuple(table.position[f] for f in plain)
    rendered = records(tag, tuple(plain), picks, (table.row(i) for i in chunk))  # type: ignore[misc]
    remaining = max(total - offset - len(chunk), 0)
    return (
        f'<data listtype="{tag}" totalcount="{total}" offset="{offset}" count="{len(chunk)}" '
        f'numremaining="{remaining}">{rendered}</data>'
    )


def _aggregate(
    table: Table,
    tag: str,
    indices: list[int],
    plain: list[str],
    aggregates: list[tuple[str, str]],
    compiler: Compiler,
) -> str:
    if plain:
        raise messages.fail("bad_query", detail="grouping by fields is not simulated")
    parts = []
    for function, name in aggregates:
        column = table.position[name]
        values = [table.row(i)[column] for i in indices]  # type: ignore[index]
        if function == "count":
            value = str(sum(1 for v in values if v != ""))
        else:
            numbers = [float(v) for v in values if v != ""]
            if not numbers:
                value = ""
            elif function == "sum":
                value = f"{sum(numbers):.2f}"
            elif function == "avg":
                value = f"{sum(numbers) / len(numbers):.2f}"
            elif function == "min":
                value = f"{min(numbers):g}"
            else:
                value = f"{max(numbers):g}"
        label = f"{function.upper()}.{name}"
        parts.append(f"<{label}>{value}</{label}>")
    return (
        f'<data listtype="{tag}" totalcount="1" offset="0" count="1" numremaining="0">'
        f"<{tag}>{''.join(parts)}</{tag}></data>"
    )


def _read_keys(ctx: Context, body: etree._Element, by_name: bool) -> str:
    spec = ctx.spec(_text(body, "object"))
    ctx.check_permission(spec, "READ_BY_NAME" if by_name else "READ")
    _return_format(ctx, body, "readByName" if by_name else "read")
    fields, picks = select_fields(ctx, spec, _text(body, "fields", "*"))
    table = ctx.company.tables[spec.name]
    keys = [k.strip() for k in _text(body, "keys").split(",") if k.strip()]
    entity_column = ctx.visible(table)
    rows: list[Row] = []
    for key in keys:
        index = table.find(spec.id_field if by_name else "RECORDNO", key)
        row = table.row(index) if index is not None else None
        if row is None:
            continue
        if entity_column is not None and row[entity_column] not in ("", esc(ctx.entity)):
            continue
        rows.append(row)
    rendered = records(spec.name, fields, picks, rows)
    return f'<data listtype="{spec.name.lower()}" count="{len(rows)}">{rendered}</data>'


def read(ctx: Context, body: etree._Element) -> str:
    return _read_keys(ctx, body, by_name=False)


def read_by_name(ctx: Context, body: etree._Element) -> str:
    return _read_keys(ctx, body, by_name=True)


__all__ = ["ResultFailure", "query", "read", "read_by_name", "read_by_query", "read_more"]

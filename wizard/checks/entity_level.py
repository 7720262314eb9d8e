"""Top level or entity: is the connection where the chosen features need it?"""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import Verdict, failed, passed
from wizard.checks.registry import Check


def entity_level(ctx: CheckContext) -> Verdict:
    catalogue = ctx.flow_catalogue
    need_entity = [catalogue[f].title for f in ctx.flows if catalogue[f].entity_level]
    if need_entity and ctx.top_level:
        return failed(
            f"The connection is to the top level, but {', '.join(need_entity)} "
            "must post in an entity (liability card accounts exist per entity).",
            ctx.fix("liability-account-entity-level"),
        )
    where = f"entity {ctx.profile.entity_id}" if ctx.profile.entity_id else "the top level"
    if need_entity:
        return passed(f"The connection is to {where}, as {', '.join(need_entity)} needs.")
    return passed(f"The connection is to {where}; none of the chosen flows needs an entity.")


CHECKS = (
    Check(
        "entity-level",
        "The connection is at the level the chosen features need",
        entity_level,
        ("session-entity",),
    ),
)

"""Top level or entity: is the connection where the chosen features need it?"""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import Candidate, Verdict, passed, unverified
from wizard.checks.registry import Check


def _integration_rules(ctx: CheckContext) -> Verdict:
    """A third-party integration's own entity rules (resources/integrations/<id>.toml)."""
    integration = ctx.integration
    where = f"entity {ctx.profile.entity_id}" if ctx.profile.entity_id else "the top level"
    against = [
        rule
        for rule in integration.entity_rules
        if (rule.level == "entity" and ctx.top_level) or (rule.level == "top" and not ctx.top_level)
    ]
    if not against:
        return passed(f"The connection is to {where}, as {integration.name} allows.")
    # The rules hang on how the integration is set up on its side (a feature switched on, a
    # currency), which Intacct cannot tell the wizard.
    return unverified(
        f"whether {integration.name} can work at {where}",
        f"the connection is to {where}, and {integration.name} says: "
        + " ".join(rule.text for rule in against),
        [
            Candidate(
                f"The case {integration.name} describes applies to your company: connect "
                "where it says.",
                f"Your {integration.name} settings show whether the feature named is on.",
            ),
            Candidate(
                "It does not apply: nothing to change.",
                f"{integration.name}'s help page: {against[0].source}",
            ),
        ],
    )


def entity_level(ctx: CheckContext) -> Verdict:
    if not ctx.integration.is_own:
        return _integration_rules(ctx)
    catalogue = ctx.flow_catalogue
    need_entity = [catalogue[f].title for f in ctx.flows if catalogue[f].entity_level]
    if need_entity and ctx.top_level:
        # Intacct does not document this rule (integrators report it: Expensify INT068), and
        # no setting it returns says whether it applies to this company.
        return unverified(
            f"whether {', '.join(need_entity)} can post at the top level",
            "the connection is to the top level, and some companies accept liability credit "
            "card accounts only in an entity; Intacct has no setting to read that says so.",
            [
                Candidate(
                    "The company keeps liability card accounts per entity: creating one at "
                    "the top level is refused.",
                    "In Intacct, Cash Management > Setup > Credit card accounts, at the top "
                    "level: no liability card account can be added there.",
                ),
                Candidate(
                    "The company accepts them at the top level.",
                    "The same page at the top level lists liability card accounts.",
                ),
            ],
            "The test posting settles it: it creates one card account at this level, as "
            "the sync would, and undoes it.",
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

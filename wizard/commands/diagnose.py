"""`intacct-wizard diagnose`: run every check against a saved or typed connection, or the demo.

Exit status: 0 when no check fails (warnings and skips are not failures), 1 when a check
fails, 2 on bad usage (a clear message, no traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.checks import CheckContext, Finding
    from wizard.connection import Profile
    from wizard.sandbox import Sandbox

NAME = "diagnose"
HELP = (
    "check a connection to Sage Intacct step by step (passwords, network, sender, user, "
    "permissions, entities, dimensions, accounts, AR settings, custom fields, concurrency) "
    "and say how to fix what fails. Exit 0: nothing failed; 1: a check failed; 2: bad usage"
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command line is wrong; the message says what to change."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"findings": [{"check", "status", "fix_id", "title", '
        '"evidence"}, ...]}',
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """--profile, the typed settings, --demo and --scenario (shared with `report`)."""
    parser.add_argument("--profile", metavar="NAME", help="a saved connection (default: last used)")
    parser.add_argument("--endpoint", metavar="URL", help="gateway address (default: Intacct's)")
    parser.add_argument("--sender-id", metavar="ID", help="Web Services sender ID")
    parser.add_argument("--company-id", metavar="ID", help="Intacct company ID")
    parser.add_argument("--user-id", metavar="ID", help="Web Services user ID")
    parser.add_argument("--entity", metavar="ID", help="entity to sign in to (default: top level)")
    parser.add_argument(
        "--integration",
        metavar="ID",
        help="check against what this integration needs (e.g. expensify; default: the saved "
        "connection's, else this-program, the wizard's own sync); `intacct-wizard "
        "integrations` lists the ids; custom: the needs given with --needs, else those the "
        "saved connection ticked",
    )
    parser.add_argument(
        "--needs",
        metavar="TEXT",
        help="check against an integration the wizard does not list (implies --integration "
        'custom): "MODULE:Permission:operations; ..." e.g. "GL:Accounts:list,view; '
        'AR:Customers:add" (operations: list, view, add, edit, delete or all; an object name '
        "such as GLACCOUNT may stand for MODULE:Permission)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="diagnose the built-in sandbox company (no Intacct account needed)",
    )
    parser.add_argument(
        "--method",
        choices=("xml", "rest"),
        help="how to talk to Intacct: the XML gateway or the REST API (OAuth 2.0); default: "
        "what the saved connection uses (xml for the demo and typed settings)",
    )
    parser.add_argument(
        "--scenario",
        action="extend",
        nargs="+",
        default=[],
        metavar="NAME",
        help="with --demo: switch on sandbox fault scenarios to see how they are diagnosed "
        "(`intacct-wizard sandbox --list-scenarios` lists them); NAME:N answers N times, "
        "then goes away (a passing fault, e.g. rate-limited:2)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list every check with its id and its fix's id, for support (default: failures, "
        "then warnings, then passes; the skipped ones one line per cause)",
    )
    parser.add_argument(
        "--no-test-posting",
        action="store_true",
        help="do not send the test documents (each is undone at once by Intacct); the faults "
        "only a posting shows (closed periods, smart rules, restricted accounts) go unchecked",
    )


@dataclass
class Target:
    context: CheckContext
    heading: str
    profile_name: str | None


_TYPED = ("endpoint", "sender_id", "company_id", "user_id", "entity")


@contextlib.contextmanager
def open_target(args: argparse.Namespace, require: bool = True) -> Iterator[Target | None]:
    """The connection the arguments name, ready to check (the demo sandbox runs meanwhile)."""
    from wizard.checks.connect import (
        SENDER_PASSWORD_VARIABLE,
        USER_PASSWORD_VARIABLE,
        FoundSecrets,
        context_for_profile,
        demo_profile,
        secrets_for_profile,
        secrets_from_environment,
        typed_profile,
    )
    from wizard.checks.context import SecretsKept
    from wizard.connection import (
        ProfileError,
        ProfileStore,
        validate_endpoint,
        validate_entity_id,
        validate_profile_name,
    )

    typed = [name for name in _TYPED if getattr(args, name, None) is not None]
    if args.scenario and not args.demo:
        raise UsageError("--scenario only works with --demo (it switches on sandbox faults).")
    if sum(bool(x) for x in (args.demo, args.profile, typed)) > 1:
        raise UsageError(
            "Choose one connection: --profile NAME, or --sender-id/--company-id/--user-id "
            "(with --endpoint and --entity if needed), or --demo."
        )
    method = getattr(args, "method", None)
    if args.demo:
        from wizard.sandbox import Sandbox
        from wizard.sandbox.scenarios import parse_scenario_options

        try:
            names, times = parse_scenario_options(args.scenario)
            sandbox = Sandbox(scenarios=names, times=times)
        except ValueError as error:
            raise UsageError(str(error)) from None
        if method == "rest":
            with sandbox, _demo_over_rest(sandbox, args.scenario) as target:
                yield target
            return
        with sandbox:
            creds = sandbox.credentials
            profile = demo_profile(
                sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id
            )
            from wizard.connection import Secrets

            found = FoundSecrets(
                Secrets(creds.sender_password, creds.user_password),
                "the demo company",
                kept=SecretsKept.BUILT_IN,
            )
            shown = f" with {', '.join(sorted(args.scenario))}" if args.scenario else ""
            profile = _for_integration(profile, args)
            with context_for_profile(profile, found) as context:
                yield Target(context, f"Diagnosis of the demo company{shown}", None)
        return
    if typed:
        if method == "rest":
            raise UsageError(
                "A REST connection needs its app's client ID and secret: save it in the wizard "
                "and use --profile NAME (or try --demo --method rest)."
            )
        missing = [
            f"--{name.replace('_', '-')}"
            for name in ("sender_id", "company_id", "user_id")
            if not getattr(args, name, None)
        ]
        if missing:
            raise UsageError(f"Also give {', '.join(missing)} (or use --profile NAME).")
        from wizard.connection.validation import DEFAULT_ENDPOINT

        endpoint = args.endpoint or DEFAULT_ENDPOINT
        for verdict in (validate_endpoint(endpoint), validate_entity_id(args.entity or "")):
            if verdict.is_error:
                raise UsageError(verdict.message)
        secrets = secrets_from_environment()
        if secrets is None:
            raise UsageError(
                f"Set the passwords in the environment variables {SENDER_PASSWORD_VARIABLE} "
                f"and {USER_PASSWORD_VARIABLE} (they are never taken on the command line)."
            )
        profile = typed_profile(
            args.sender_id, args.company_id, args.user_id, args.entity or "", endpoint
        )
        found = FoundSecrets(
            secrets,
            f"the environment variables {SENDER_PASSWORD_VARIABLE} and {USER_PASSWORD_VARIABLE}",
            kept=SecretsKept.ENVIRONMENT,
        )
        profile = _for_integration(profile, args)
        with context_for_profile(profile, found) as context:
            yield Target(context, f"Diagnosis of {args.company_id.strip()} ({endpoint})", None)
        return
    store = ProfileStore()
    name = args.profile
    if name is None:
        name = store.last_used()
        if name is None:
            if not require:
                yield None
                return
            saved = store.names()
            hint = f" Saved connections: {', '.join(saved)}." if saved else ""
            raise UsageError(
                "Say which connection to check: --profile NAME, the typed settings "
                f"(--sender-id, --company-id, --user-id), or --demo.{hint}"
            )
    verdict = validate_profile_name(name)
    if verdict.is_error:
        raise UsageError(verdict.message)
    try:
        profile = store.load(name)
    except ProfileError as error:
        saved = store.names()
        hint = f" Saved connections: {', '.join(saved)}." if saved else ""
        raise UsageError(f"{error}{hint}") from None
    if method is not None:
        from wizard.connection import ConnectionMethod

        profile = profile.replace(method=ConnectionMethod(method))
    found = secrets_for_profile(store, name)
    profile = _for_integration(profile, args)
    saver = None
    if found.secrets is not None:
        from wizard.checks.connect import refresh_token_saver

        saver = refresh_token_saver(store, name, found.secrets)
    with context_for_profile(profile, found, on_token=saver) as context:
        yield Target(context, f"Diagnosis of “{name}” ({profile.company_id.strip()})", name)


def _for_integration(profile: Profile, args: argparse.Namespace) -> Profile:
    """The profile checked against --integration ID (else the saved one's, else this-program),
    or against --needs (a custom integration)."""
    from wizard.integrations import (
        CUSTOM_INTEGRATION_ID,
        CustomNeedsError,
        IntegrationCatalogueError,
        load_integrations,
        parse_needs,
    )

    try:
        catalogue = load_integrations()
    except IntegrationCatalogueError as error:
        raise UsageError(f"The integration files could not be loaded: {error}") from None
    given = getattr(args, "integration", None)
    needs_text = getattr(args, "needs", None)
    wanted = given.strip().lower() if given else profile.integration
    if needs_text is not None:
        if given and wanted != CUSTOM_INTEGRATION_ID:
            raise UsageError(
                f"--needs describes an integration the wizard does not list; leave out "
                f"--integration {given} (or use --integration {CUSTOM_INTEGRATION_ID})."
            )
        try:
            custom = parse_needs(needs_text, catalogue.permissions)
        except CustomNeedsError as error:
            raise UsageError(f"--needs: {error}") from None
        # A saved connection's name and sender for its custom integration stay.
        kept = dataclasses.replace(profile.custom, needs=custom.needs)
        return profile.replace(integration=CUSTOM_INTEGRATION_ID, custom=kept)
    if wanted == CUSTOM_INTEGRATION_ID:
        try:
            catalogue.resolve(wanted, profile.custom)
        except CustomNeedsError as error:
            raise UsageError(
                f"{error} This connection has no ticked needs saved: give them with --needs "
                '"MODULE:Permission:operations; ..." (e.g. "GL:Accounts:list,view").'
            ) from None
        return profile
    if wanted not in catalogue:
        raise UsageError(
            f"There is no integration {wanted!r}. Known integrations: {', '.join(catalogue.ids)}"
            f", or {CUSTOM_INTEGRATION_ID} with --needs (intacct-wizard integrations lists them)."
        )
    return profile.replace(integration=wanted)


@contextlib.contextmanager
def _demo_over_rest(sandbox: Sandbox, scenarios: list[str]) -> Iterator[Target]:
    """The demo company over the REST API, signed in as the demo admin would be."""
    from wizard.checks.connect import FoundSecrets, context_for_profile, demo_rest_profile
    from wizard.checks.context import SecretsKept
    from wizard.connection import Secrets

    app = sandbox.rest_app
    creds = sandbox.credentials
    profile = demo_rest_profile(
        sandbox.rest_base_url, app.client_id, app.redirect_uri, creds.company_id, creds.user_id
    )
    secrets = Secrets(
        "", "", client_secret=app.client_secret, refresh_token=sandbox.rest.oauth.demo_sign_in()
    )
    shown = f" with {', '.join(sorted(scenarios))}" if scenarios else ""
    found = FoundSecrets(secrets, "the demo company", kept=SecretsKept.BUILT_IN)
    with context_for_profile(profile, found) as context:
        yield Target(context, f"Diagnosis of the demo company over the REST API{shown}", None)


def diagnose(target: Target) -> tuple[Finding, ...]:
    from wizard.checks import Runner

    return Runner(target.context).run_all()


def run(args: argparse.Namespace) -> int:
    from wizard.checks import CheckStatus
    from wizard.checks.text import findings_json, findings_text
    from wizard.logs import setup_logging
    from wizard.redaction import redact

    setup_logging(console=False)
    try:
        with open_target(args) as target:
            assert target is not None
            target.context.test_posting = not args.no_test_posting
            integration = target.context.integration
            findings = diagnose(target)
    except UsageError as error:
        print(redact(str(error)), file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        answer = {**findings_json(findings), "integration": integration.id}
        print(redact(json.dumps(answer, ensure_ascii=False)))
    else:
        heading = target.heading
        if not integration.is_own:
            heading += f", for {integration.name}"
        print(findings_text(findings, heading, verbose=args.verbose, ids=args.verbose))
    failed = any(f.status is CheckStatus.FAIL for f in findings)
    return EXIT_FAILED if failed else EXIT_OK

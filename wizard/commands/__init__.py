"""Headless subcommands of `intacct-wizard`.

Each module here defines `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`
(the exit status), and is listed in `wizard.cli.COMMAND_MODULES`. Modules import their heavy
dependencies inside `run`, so `intacct-wizard --help` stays fast.
"""

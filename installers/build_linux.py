"""Build the Linux one-folder app: the smoke-test build CI and the test suite run.

    python installers/build_linux.py --out /tmp/wizard-build

Linux is not shipped to users; this build proves on any Linux machine that the spec collects
what the app needs (Qt plugins, lxml, httpx, keyring backends, resources/). With
`--installer`, it also compiles the Windows NSIS script over this folder as a stand-in payload,
so a broken installer script fails here too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import build_windows
import buildlib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="build folder (not the checkout)")
    parser.add_argument(
        "--installer", action="store_true", help="also compile the NSIS installer over the bundle"
    )
    parser.add_argument(
        "--compressor", choices=("lzma", "zlib"), default="lzma", help="NSIS compression"
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    try:
        bundle = buildlib.run_pyinstaller(out / "dist", out / "work")
        print(f"bundle: {bundle.folder} ({buildlib.megabytes(bundle.size_bytes)})")
        if args.installer:
            setup = build_windows.compile_installer(bundle.folder, out, args.compressor)
            print(f"installer: {setup} ({buildlib.megabytes(setup.stat().st_size)})")
    except buildlib.BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

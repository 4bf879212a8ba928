"""Command-line adapter: `python -m app ...` over the same pure core as the browser."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cmd_serve(args: argparse.Namespace) -> int:
    from app.serve import serve

    site = Path(args.dir) if args.dir else ROOT / "build" / "site"
    if not (site / "index.html").exists() and not args.dir:
        from tools.build_site import build

        build(site)
    return serve(site, args.host, args.port, cors=args.cors)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Cellules FWB")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="serve the built site (builds it first if needed)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--dir", help="serve this directory instead of build/site")
    p.add_argument("--cors", action="store_true", help="send Access-Control-Allow-Origin: *")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

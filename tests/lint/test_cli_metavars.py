"""The command line names every value an argument takes with a catalogue entry: in app/cli.py, each
`add_argument` / `add_subparsers` that takes a value passes `metavar=` and that metavar is never a
literal (argparse would show the argument's name, `state`, `NAME`, in English whatever the reader's
language). A flag (`action="store_true"`) takes no value; a closed list of values typed as they are
(`choices=`) shows itself."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "app" / "cli.py"


def _calls(names: set[str]) -> list[ast.Call]:
    tree = ast.parse(CLI.read_text("utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in names]


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def test_no_metavar_is_a_literal_and_no_value_goes_unnamed():
    calls = _calls({"add_argument", "add_subparsers"})
    assert len(calls) > 30  # the parser is where this test looks
    literal, unnamed = [], []
    for call in calls:
        metavar = _keyword(call, "metavar")
        if isinstance(metavar, ast.Constant | ast.JoinedStr | ast.BinOp):  # "state", f"…", "A" + "B"
            literal.append(ast.unparse(call))
        action = _keyword(call, "action")
        flag = isinstance(action, ast.Constant) and action.value in ("store_true", "store_false", "help")
        if metavar is None and not flag and _keyword(call, "choices") is None:
            unnamed.append(ast.unparse(call))
    assert literal == []
    assert unnamed == []

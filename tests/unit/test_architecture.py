"""The shape the code keeps: handlers read, call a service and answer; buttons are typed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HANDLER_LINES_MAX = 450


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def calls_named(tree: ast.AST, name: str) -> list[int]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func
            label = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if label == name:
                found.append(node.lineno)
    return found


def test_no_handler_or_job_opens_a_transaction() -> None:
    opened = {
        f"{path.relative_to(ROOT)}:{line}"
        for folder in ("handlers", "scheduler")
        for path in modules(folder)
        for name in ("unit_of_work", "begin", "transaction")
        for line in calls_named(ast.parse(path.read_text("utf-8")), name)
    }
    assert opened == set()


def test_no_handler_module_is_over_the_size_a_reader_holds_in_mind() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in modules("handlers")
        if (lines := len(path.read_text("utf-8").splitlines())) > HANDLER_LINES_MAX
    }
    assert long == {}


def test_buttons_are_matched_and_parsed_by_their_typed_kind_only() -> None:
    """No hand-written pattern strings and no `split(":")` of callback data in handlers."""
    found = []
    for path in modules("handlers"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "pattern":
                if isinstance(node.value, ast.Constant):
                    found.append(f"{path.name}:{node.value.lineno} pattern={node.value.value!r}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("split", "rsplit", "partition")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == ":"
            ):
                found.append(f"{path.name}:{node.lineno} {node.func.attr}(':')")
    assert found == []

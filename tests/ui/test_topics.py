"""``data_changed`` topics are Topic members, never string literals: one home for the names (ui/topics.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from actdesk.ui.topics import Topic

UI = Path(__file__).resolve().parents[2] / "src" / "actdesk" / "ui"


def literal_topics(source: str) -> list[tuple[int, str]]:
    """String literals used as topics: emitted, looped over before emitting, compared with ``topic``."""
    found: list[tuple[int, str]] = []

    def strings(node: ast.AST) -> list[ast.Constant]:
        elts = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
        return [e for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]

    for node in ast.walk(ast.parse(source)):
        hits: list[ast.Constant] = []
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "emit"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "data_changed"
        ):
            hits = [h for a in node.args for h in strings(a)]
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id == "topic":
            hits = strings(node.iter)
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "topic":
            hits = [h for c in node.comparators for h in strings(c)]
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id.endswith("TOPICS")
        ):
            value = node.value.args[0] if isinstance(node.value, ast.Call) and node.value.args else node.value
            hits = strings(value) if not isinstance(value, ast.Dict) else []
        found += [(h.lineno, h.value) for h in hits]
    return found


def test_no_topic_is_a_string_literal() -> None:
    offenders = [
        f"{path.relative_to(UI)}:{line}: {value!r}"
        for path in sorted(UI.rglob("*.py"))
        for line, value in literal_topics(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_sees_each_kind_of_literal() -> None:
    planted = (
        'ctx.signals.data_changed.emit("households")\n'
        'for topic in ("mail", Topic.ALERTS):\n    pass\n'
        'if topic == "settings" or topic in ("alerts",):\n    pass\n'
        'RELOAD_TOPICS = frozenset({"book"})\n'
    )
    assert sorted(v for _, v in literal_topics(planted)) == [
        "alerts",
        "book",
        "households",
        "mail",
        "settings",
    ]
    assert literal_topics("ctx.signals.data_changed.emit(Topic.MAIL)\n") == []


def test_a_topic_travels_as_its_plain_name() -> None:
    assert Topic.LIFE_EVENTS == "life_events" and str(Topic.MAIL) == "mail"
    assert {t.value for t in Topic} >= {"households", "settings", "book", "alerts"}

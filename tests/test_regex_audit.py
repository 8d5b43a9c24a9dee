"""Every regular expression in the package runs in time linear in its input.

Python's ``re`` backtracks: a quantifier inside a quantifier (``(?:\\s+|...)*``) takes time
exponential in the input when the match fails, two adjacent quantifiers that can match the
same characters (``\\s*\\s*``) take polynomial time, and a search for ``<[^>]*>`` rescans the
rest of the text from every ``<``. This test reads every pattern in the package's source and
refuses those shapes, so that a new pattern is audited the day it is written.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

# Python's own regular expression parser: the same tree the engine runs.
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest

import headlines

PACKAGE = Path(headlines.__file__).parent
_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
# A repeat bounded this low cannot blow up, whatever surrounds it.
_SMALL = 64
# The characters tried when asking whether two parts can match the same character.
_ALPHABET = [chr(c) for c in range(0x250)] + ["\u2028", "\u3000", "\u20ac", "\u00a0", "\uffff"]
_CATEGORIES = {
    sre.CATEGORY_DIGIT: str.isdigit,
    sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
    sre.CATEGORY_SPACE: str.isspace,
    sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    sre.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sre.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def package_patterns() -> list[tuple[str, str, int]]:
    """``(where, pattern, flags)`` of every call ``re.NAME("literal", ...)`` in the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _CALLS
            ):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            pattern = node.args[0] if node.args else None
            if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)):
                raise AssertionError(f"{where}: a pattern that is not a literal cannot be audited")
            flags = node.args[-1] if len(node.args) > 1 and node.func.attr == "compile" else None
            found.append((where, pattern.value, _flags(flags)))
    return found


def _flags(node: ast.expr | None) -> int:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute):
        return int(getattr(re, node.attr))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    raise AssertionError(f"unreadable flags: {ast.dump(node)}")


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """Why ``pattern`` may take more than linear time, or None when it cannot.

    ``backtracking_risk(r"(a+)+b") -> "a repeat inside a repeat: ..."``
    """
    tree = sre_parse.parse(pattern, flags)
    ignore_case = bool(flags & re.IGNORECASE)
    why = _nested(list(tree)) or _adjacent(list(tree), ignore_case)
    if why is None and not _anchored(list(tree)):
        why = _rescans(list(tree), ignore_case)
    return why


def _is_repeat(op: Any, av: Any) -> bool:
    return op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and (
        av[1] is sre.MAXREPEAT or av[1] > _SMALL
    )


def _children(op: Any, av: Any) -> list[list[Any]]:
    """The sub-sequences inside one node of the parse tree."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return [list(av[2])]
    if op is sre.SUBPATTERN:
        return [list(av[3])]
    if op is sre.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.ATOMIC_GROUP):
        return [list(av[1] if op is not sre.ATOMIC_GROUP else av)]
    return []


def _contains(items: list[Any], test: Any) -> bool:
    return any(
        test(op, av) or any(_contains(child, test) for child in _children(op, av))
        for op, av in items
    )


def _nested(items: list[Any]) -> str | None:
    """A repeat whose body can itself repeat or choose between branches."""
    for op, av in items:
        if _is_repeat(op, av) and op is not sre.POSSESSIVE_REPEAT:
            body = list(av[2])
            if _contains(body, lambda o, a: _is_repeat(o, a) or o is sre.BRANCH):
                return "a repeat or a choice inside a repeat"
        for child in _children(op, av):
            why = _nested(child)
            if why:
                return why
    return None


def _chars(op: Any, av: Any, ignore_case: bool) -> set[str] | None:
    """The characters of ``_ALPHABET`` one node can start with; None when unknown."""
    if op is sre.LITERAL:
        chars = {chr(av)}
    elif op is sre.NOT_LITERAL:
        chars = set(_ALPHABET) - {chr(av)}
    elif op is sre.ANY:
        chars = set(_ALPHABET)
    elif op is sre.IN:
        chars = {c for c in _ALPHABET if _in_class(c, av)}
    elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and len(av[2]) == 1:
        return _chars(*av[2][0], ignore_case)
    else:
        return None
    if ignore_case:
        chars |= {c.swapcase() for c in chars if len(c.swapcase()) == 1}
    return chars


def _in_class(char: str, items: list[Any]) -> bool:
    inside = False
    negate = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            inside = inside or char == chr(av)
        elif op is sre.RANGE:
            inside = inside or av[0] <= ord(char) <= av[1]
        elif op is sre.CATEGORY:
            inside = inside or _CATEGORIES[av](char)
        else:
            raise AssertionError(f"unknown class item {op}")
    return inside != negate


def _adjacent(items: list[Any], ignore_case: bool) -> str | None:
    """Two repeats in a row (optional parts between them) that can match a same character."""
    for i, (op, av) in enumerate(items):
        if _is_repeat(*_unwrap(op, av)):
            mine = _chars(*_unwrap(op, av), ignore_case)
            for next_op, next_av in (_unwrap(*item) for item in items[i + 1 :]):
                theirs = _chars(next_op, next_av, ignore_case)
                if _is_repeat(next_op, next_av) and (
                    mine is None or theirs is None or mine & theirs
                ):
                    return "two repeats in a row that can match the same characters"
                optional = next_op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and next_av[0] == 0
                if not optional:
                    break
        for child in _children(op, av):
            why = _adjacent(child, ignore_case)
            if why:
                return why
    return None


def _anchored(items: list[Any]) -> bool:
    return bool(items) and items[0] in (
        (sre.AT, sre.AT_BEGINNING_STRING),
        (sre.AT, sre.AT_BEGINNING),
    )


def _unwrap(op: Any, av: Any) -> tuple[Any, Any]:
    """A group of one part is that part: ``(?P<n>\\d+)`` is a repeat."""
    while op is sre.SUBPATTERN and len(av[3]) == 1:
        op, av = av[3][0]
    return op, av


def _rescans(items: list[Any], ignore_case: bool) -> str | None:
    """A search that can start at a character a later repeat also runs over, when something
    must follow the repeat: each start rescans to the end, quadratic in all."""
    if not items:
        return None
    starts = _chars(*_unwrap(*items[0]), ignore_case)
    for i, (op, av) in enumerate(_unwrap(*item) for item in items):
        if _is_repeat(op, av) and i + 1 < len(items):
            mine = _chars(op, av, ignore_case)
            if starts is None or mine is None or starts & mine:
                return "a search whose repeat runs over the characters a match starts with"
    return None


BAD = [
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->)*<([A-Za-z_][\w.:-]*)",  # the old XML root sniffer
    r"(a+)+b",
    r"(a|ab)*c",
    r"\s*\s*x",
    r"\d+\.?\d+x",
    r"(?P<n>\d+)(?:\.)?(\d+)x",
    r"<[^>]*>",
    r"(?i)A.*b",
    r"(\d+)(\s*)x",
]
GOOD = [
    r"<[^<>]*>",
    r"[$€£]?\w+",
    r"\r\n|\r|\n",
    r"^(?:a|b)\s*:?$",
    r"^(\d+)\s*[a-z]+\.?\s+x",
    r"[A-Za-z_][\w.:-]*",
]


@pytest.mark.parametrize("pattern", BAD)
def test_the_audit_finds_patterns_that_backtrack(pattern: str) -> None:
    assert backtracking_risk(pattern) is not None


@pytest.mark.parametrize("pattern", GOOD)
def test_the_audit_passes_linear_patterns(pattern: str) -> None:
    assert backtracking_risk(pattern) is None


def test_the_audit_reads_every_pattern_of_the_package() -> None:
    found = {where.split(":")[0] for where, _, _ in package_patterns()}
    assert {"headlines/feeds/xml.py", "headlines/files.py", "headlines/tokens.py"} <= found


@pytest.mark.parametrize(
    ("where", "pattern", "flags"), package_patterns(), ids=lambda v: str(v)[:40]
)
def test_no_pattern_of_the_package_can_backtrack_without_bound(
    where: str, pattern: str, flags: int
) -> None:
    assert backtracking_risk(pattern, flags) is None, f"{where}: {pattern!r}"

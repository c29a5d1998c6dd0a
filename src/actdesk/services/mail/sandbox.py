"""The template sandbox with limits: a template can neither run code (Jinja2's sandbox) nor hang the app or
exhaust its memory (this module).

Jinja2's ``SandboxedEnvironment`` stops attribute tricks but not cost: ``range(99999)`` nested three deep,
``lipsum(n=3000000)``, ``9**(9**9)``, ``'a'*10**9`` or ``'x'|center(2000000000)`` each run for minutes or
allocate gigabytes. ``LimitedSandbox`` adds, per render:

- a budget of steps (loop iterations, calls, attribute reads, operators) and of wall time (``TIME_BUDGET``),
  counted by a guard wrapped around every ``for`` loop's iterable at parse time;
- ``range`` capped at ``MAX_RANGE`` items; numbers given to calls and filters capped at ``MAX_ARGUMENT``;
  ``*`` and ``**`` refused when the result would exceed ``MAX_OUTPUT`` characters or ``MAX_BITS`` bits;
- output capped at ``MAX_OUTPUT`` characters while it is generated;
- ``include``, ``import``, ``extends`` refused at parse time (a template is one self-contained text), and
  recursion (a macro calling itself without end) stopped.

Each limit raises ``TemplateLimitError`` (a ``SecurityError``), which the caller reports as "not allowed in a
template", never as an internal error. The limits are far above what a real e-mail needs (a newsletter is a
few KB; a campaign template renders in well under a millisecond).
"""

from __future__ import annotations

import contextvars
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_RANGE = 1_000
MAX_ARGUMENT = 10_000
MAX_OUTPUT = 1_000_000
MAX_BITS = 4_096
MAX_STEPS = 2_000_000
TIME_BUDGET = 2.0  # seconds of one render
_CHECK_EVERY = 1_024


class TemplateLimitError(SecurityError):
    """The template asked for more than a template may (time, size, range, include...)."""


class Budget:
    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + TIME_BUDGET

    def tick(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise TemplateLimitError("the template does too much work")
        if self.steps % _CHECK_EVERY < n and time.monotonic() > self.deadline:
            raise TemplateLimitError(f"the template took longer than {TIME_BUDGET:g} seconds")


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "actdesk_template_budget", default=None
)


def _tick(n: int = 1) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.tick(n)


def render_limited(template: Any, context: dict[str, Any]) -> str:
    """Render with a fresh budget, stopping as soon as the output passes ``MAX_OUTPUT`` characters."""
    token = _budget.set(Budget())
    try:
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimitError(f"the text would be longer than {MAX_OUTPUT:,} characters")
            parts.append(chunk)
            _tick()
        return "".join(parts)
    except RecursionError:
        raise TemplateLimitError("a macro calls itself without end") from None
    except MemoryError:
        raise TemplateLimitError("the template needs too much memory") from None
    finally:
        _budget.reset(token)


def _check_arguments(args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise TemplateLimitError(f"the number {value:.6g} is larger than a template may use")


def _capped_range(*args: int) -> Iterator[int]:
    _check_arguments(args, {})
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise TemplateLimitError(f"range() of more than {MAX_RANGE:,} numbers")
    return iter(values)


def _loop_guard(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        _tick()
        yield item


def _limited(function: Callable[..., Any], *, is_filter: bool) -> Callable[..., Any]:
    """A filter or global whose numeric arguments are capped and whose text result is measured."""
    # a filter's first argument is the value filtered (after the context, for pass_context filters)
    skip = (1 + (1 if hasattr(function, "jinja_pass_arg") else 0)) if is_filter else 0

    @functools.wraps(function)  # keeps jinja_pass_arg (pass_context & co.)
    def limited(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args[skip:], kwargs)
        if is_filter and len(args) >= skip:
            _check_growth(function.__name__, args[skip - 1], args[skip:], kwargs)
        _tick()
        result = function(*args, **kwargs)
        if isinstance(result, str | list) and len(result) > MAX_OUTPUT:
            raise TemplateLimitError(f"a value longer than {MAX_OUTPUT:,} characters")
        return result

    return limited


class LimitedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _limited(f, is_filter=True) for name, f in self.filters.items()}
        self.globals = {
            name: _limited(g, is_filter=False) if callable(g) and not isinstance(g, type) else g
            for name, g in self.globals.items()
        }
        self.globals["range"] = _capped_range
        self.globals["actdesk_loop_guard"] = _loop_guard

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for kind, word in ((nodes.Include, "include"), (nodes.Import, "import"), (nodes.FromImport, "import"),
                           (nodes.Extends, "extends")):  # fmt: skip
            found = tree.find(kind)
            if found is not None:
                raise TemplateLimitError(
                    f"{word} (line {found.lineno}): a template is one self-contained text"
                )
        for loop in tree.find_all(nodes.For):
            guard = nodes.Call(nodes.Name("actdesk_loop_guard", "load"), [loop.iter], [], None, None)
            loop.iter = guard.set_lineno(loop.lineno).set_environment(self)
        return tree

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if __obj is not _loop_guard:
            _check_arguments(args, kwargs)
            _tick()
            method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
            owner = getattr(method, "__self__", None)
            if isinstance(owner, str):
                _check_growth(getattr(__obj, "__name__", ""), owner, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str | list | bytes) and len(result) > MAX_OUTPUT:
            raise TemplateLimitError(f"a value longer than {MAX_OUTPUT:,} characters")
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


def _check_growth(name: str, value: Any, args: tuple[Any, ...] | list[Any], kwargs: dict[str, Any]) -> None:
    """``replace`` and ``join`` can multiply their input: estimate the result before Python builds it."""
    size = 0
    if name.endswith("replace") and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        count = value.count(old) if old else len(value) + 1
        size = len(value) + count * max(len(new) - len(old), 0)
    elif name.endswith("join"):
        items = args[0] if isinstance(value, str) and args else value
        separator = value if isinstance(value, str) and args else (args[0] if args else kwargs.get("d", ""))
        if isinstance(items, list | tuple | str):
            size = sum(len(str(x)) for x in items) + len(str(separator)) * max(len(items) - 1, 0)
    elif name.endswith("format") and isinstance(value, str):
        _check_widths(value)
    if size > MAX_OUTPUT:
        raise TemplateLimitError(f"a value longer than {MAX_OUTPUT:,} characters")


_WIDTHS = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*:[^{}\d]*(\d+)")


def _check_widths(pattern: str) -> None:
    """Field widths in a %-format or str.format pattern ("%2000000000s") are capped like numbers."""
    for match in _WIDTHS.finditer(pattern):
        width = int(match.group(1) or match.group(2))
        if width > MAX_ARGUMENT:
            raise TemplateLimitError(f"the number {width:.6g} is larger than a template may use")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result alone would be too large, before Python allocates it."""
    if operator == "%" and isinstance(left, str):
        _check_widths(left)
    numbers = isinstance(left, int | float) and isinstance(right, int | float)
    if operator == "**" and numbers:
        bits = abs(left).bit_length() if isinstance(left, int) else 1
        if (abs(right) > 64 and abs(left) > 1) or abs(right) * bits > MAX_BITS:
            raise TemplateLimitError("a power too large for a template")
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT:
                raise TemplateLimitError(f"a value longer than {MAX_OUTPUT:,} characters")
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_BITS
        ):
            raise TemplateLimitError("a number too large for a template")
    sequences = isinstance(left, str | list) and isinstance(right, str | list)
    if operator == "+" and sequences and len(left) + len(right) > MAX_OUTPUT:
        raise TemplateLimitError(f"a value longer than {MAX_OUTPUT:,} characters")

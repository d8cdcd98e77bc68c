"""``docgen templates check``: every problem of a template, each located and explained.

The template's parts are read paragraph by paragraph (tags that Word split across runs are
joined first, as rendering does).  Each tag is checked on its own, so one broken tag does not
hide the next: its syntax, where docxtpl's ``{%tr %}``/``{%tc %}`` forms may stand, that every
``for``/``if`` is closed by the matching end tag, and — on the whole template's logic — that
every variable and filter exists, with a "did you mean" for near misses.  With ``--data`` a
trial render of that data follows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from docgen.errors import DocgenError
from docgen.i18n import N_, _
from docgen.ooxml.keep import KEEP_TAG
from docgen.ooxml.locations import Location, MalformedPart, template_places
from docgen.ooxml.merge import VMERGE_TAG
from docgen.ooxml.package import Package, read_package
from docgen.render.environment import make_environment
from docgen.render.sample import sample_context, sample_project
from docgen.render.templates import (
    FILE_NAMES,
    KIND_LABELS,
    check_kind,
    kind_of_name,
    read_config,
)

_PARTS = re.compile(r"^(word/(document|header\d*|footer\d*)\.xml|docProps/core\.xml)$")

# A complete tag in a paragraph's text: "{{ x }}", "{%tr for r in rows %}", "{# note #}".
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# A tag start or end left over once complete tags are removed: "{{ x" or "x }}".
_HALF = re.compile(r"\{\{|\{%|\}\}|%\}")
# "{ {" or "% }": a tag that Word's autocorrect or a stray space broke apart.
_BROKEN = re.compile(r"\{\s+[{%]|[%}]\s+\}")
# docxtpl's prefixed statements: "{%tr for … %}" → ("tr", "for …").
_STATEMENT = re.compile(r"\{%-?\s*(?:(tr|tc|p|r)\s+)?(.*?)\s*-?%\}", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{-?\s*(?:(r|p)\s+)?(.*?)\s*-?\}\}", re.DOTALL)

_BLOCKS = {
    "for": "endfor",
    "if": "endif",
    "macro": "endmacro",
    "call": "endcall",
    "filter": "endfilter",
    "with": "endwith",
    "raw": "endraw",
}
_MIDDLE = {"else": ("for", "if"), "elif": ("if",)}


SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning")}
FIX = N_("fix")


@dataclass(frozen=True)
class Problem:
    """One problem of a template: where, what, how to fix it."""

    location: Location | None
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        severity = _(SEVERITY_LABELS.get(self.severity, self.severity))
        text = f"{where}{severity}: {self.message}"
        return f"{text}\n    {_(FIX)}: {self.hint}" if self.hint else text


@dataclass
class _Tag:
    text: str
    location: Location
    prefix: str | None
    body: str
    statement: bool


def declared_kind(path: Path) -> str:
    """Return the kind a template declares: its config, else its file name."""
    stem = path.stem
    guess = kind_of_name(path) or ("report" if "report" in stem or "报告" in stem else "table")
    try:
        return read_config(path, read_package(path), guess).kind_key
    except DocgenError:
        return guess  # check_template reports why


def check_template(path: Path, kind: str | None = None, data: Path | None = None) -> list[Problem]:
    """Return every problem of the template at *path* for documents of *kind*.

    This is the one check of a template, for ``docgen templates check`` and for uploads to
    the service alike: the package is read by the safe reader, every tag is checked, the
    config must be sound and name the kind the template is used for (and its file name
    makes it), and a trial render follows, with the first project of *data* or with
    built-in sample data, so that a template that passes is one that renders.
    """
    try:
        package = read_package(path)
    except DocgenError as exc:
        return [Problem(None, exc.message, exc.hint or "")]
    kind = kind or declared_kind(path)
    problems: list[Problem] = []
    tags: list[_Tag] = []
    for part, content in package.parts:
        if not _PARTS.match(part):
            continue
        try:
            places = template_places(part, content)
        except MalformedPart as exc:
            problems.append(Problem(None, str(exc)))
            continue
        for location in places:
            tags.extend(_paragraph_tags(location, problems))
    unmatched: set[int] = set()
    problems.extend(_check_blocks(tags, unmatched))
    balanced = [tag for i, tag in enumerate(tags) if i not in unmatched]
    problems.extend(_check_names(balanced, kind, _unclosed(balanced)))
    problems.extend(_check_config(path, package, kind))
    if not any(p.severity == "error" for p in problems):
        problems.extend(_trial_render(path, kind, data))
    return problems


def _check_config(path: Path, package: Package, kind: str) -> list[Problem]:
    """Check that the config is sound and names *kind*, as the file name does."""
    try:
        config = read_config(path, package, kind)
        check_kind(str(path), kind, config)
    except DocgenError as exc:
        return [Problem(None, _in_config(exc, path), exc.hint or "")]
    named = kind_of_name(path)
    if named is not None and named != kind:
        return [
            Problem(
                None,
                _(
                    "its file name {name} makes it the {named}, but it is checked as the {kind}"
                ).format(name=path.name, named=KIND_LABELS[named], kind=KIND_LABELS[kind]),
                _("rename it to {name}, or fix 文档类型 in its config").format(
                    name=FILE_NAMES[kind][0]
                ),
            )
        ]
    return []


def _in_config(exc: DocgenError, path: Path) -> str:
    """Return the error's message, led by the config file and line it names (the YAML beside
    the template, not the template the report is about)."""
    if exc.file is None or exc.file == str(path):
        return exc.message
    where = exc.file if exc.line is None else f"{exc.file}:{exc.line}"
    return f"{where}: {exc.message}"


def _paragraph_tags(location: Location, problems: list[Problem]) -> Iterator[_Tag]:
    text = location.text
    if not text or not any(mark in text for mark in ("{", "}", "%")):
        return
    for match in _BROKEN.finditer(text):
        problems.append(
            Problem(
                location,
                _("broken tag {tag}").format(tag=repr(match.group())),
                _("remove the space inside the braces"),
            )
        )
    leftover = _TAG.sub("", text)
    if _HALF.search(leftover):
        problems.append(
            Problem(
                location,
                _("a tag is not closed in this paragraph"),
                _("a tag must start and end in the same paragraph: join the lines, or close it"),
            )
        )
    env = make_environment()
    for match in _TAG.finditer(text):
        raw = match.group()
        if raw.startswith("{#"):
            continue
        if VMERGE_TAG.fullmatch(raw):
            if not location.in_cell:
                problems.append(
                    Problem(
                        location,
                        _("{tag} outside a table cell").format(tag="{% vmerge %}"),
                        _("put it in the cell to merge, in a row repeated by {loop}").format(
                            loop="{%tr for %}"
                        ),
                    )
                )
            continue
        if KEEP_TAG.fullmatch(raw):
            if not location.in_cell:
                problems.append(
                    Problem(
                        location,
                        _("{tag} outside a table cell").format(tag="{% keepnext %}"),
                        _("put it in a cell of the row to keep with the next row"),
                    )
                )
            continue
        statement = raw.startswith("{%")
        pattern = _STATEMENT if statement else _EXPRESSION
        found = pattern.fullmatch(raw)
        prefix, body = (found.group(1), found.group(2)) if found else (None, raw)
        tag = _Tag(raw, location, prefix, _unquote(body), statement)
        problem = _syntax(env, tag)
        if problem is not None:
            problems.append(problem)
            continue
        if prefix in ("tr", "tc") and not location.in_cell:
            problems.append(
                Problem(
                    location,
                    _("{tag} outside a table").format(tag=f"{{%{prefix} … %}}"),
                    (
                        _(
                            "{tag} repeats a table row: put it in a cell of that table, or use "
                            "{plain}"
                        )
                        if prefix == "tr"
                        else _(
                            "{tag} repeats a table cell: put it in a cell of that table, or use "
                            "{plain}"
                        )
                    ).format(tag=f"{{%{prefix} %}}", plain="{% … %}"),
                )
            )
            continue
        yield tag


def _unquote(body: str) -> str:
    """Return a tag's body with Word's curly quotes made straight (as docxtpl does)."""
    return body.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def _syntax(env: Any, tag: _Tag) -> Problem | None:
    """Return the syntax problem of one tag, checked on its own."""
    if not tag.statement:
        source = "{{ " + tag.body + " }}"
    else:
        word = tag.body.split(None, 1)[0] if tag.body else ""
        if word in _BLOCKS or _is_set_block(word, tag.body):
            source = "{% " + tag.body + " %}{% " + _BLOCKS.get(word, "endset") + " %}"
        elif word in _MIDDLE:
            source = "{% if x %}{% " + tag.body + " %}{% endif %}"
        elif word.startswith("end") or word in ("break", "continue"):
            return None  # checked by the block balance
        else:
            source = "{% " + tag.body + " %}"
    try:
        env.parse(source)
    except TemplateSyntaxError as exc:
        return Problem(
            tag.location,
            _("syntax error in {tag}: {problem}").format(tag=tag.text, problem=exc.message),
            _("check the tag's spelling, brackets and quotes"),
        )
    except (ValueError, RecursionError, MemoryError) as exc:  # a 5,000-digit number, deep nesting
        message = _("cannot read {tag}: {error}").format(
            tag=tag.text, error=f"{type(exc).__name__}: {exc}"
        )
        return Problem(tag.location, message)
    return None


def _check_blocks(tags: list[_Tag], unmatched: set[int]) -> Iterator[Problem]:
    """Check that blocks open and close in order, with matching docxtpl prefixes.

    The indexes of end tags that close nothing (or the wrong block) go into *unmatched*.
    """
    stack: list[tuple[str, _Tag]] = []
    for index, tag in enumerate(tags):
        if not tag.statement or not tag.body:
            continue
        word = tag.body.split(None, 1)[0]
        if word in _BLOCKS or _is_set_block(word, tag.body):
            stack.append((word, tag))
        elif word in _MIDDLE:
            if not stack or stack[-1][0] not in _MIDDLE[word]:
                yield Problem(
                    tag.location,
                    _("{tag} without an open {blocks}").format(
                        tag=tag.text, blocks=_(" or ").join(_MIDDLE[word])
                    ),
                )
        elif word.startswith("end") and (word[3:] in _BLOCKS or word == "endset"):
            if not stack:
                unmatched.add(index)
                yield Problem(
                    tag.location,
                    _("{tag} without a {opening} before it").format(
                        tag=tag.text, opening=f"{{% {word[3:]} %}}"
                    ),
                    _("remove it, or add the opening tag"),
                )
                continue
            opened, opening = stack[-1]
            if word[3:] != opened:
                unmatched.add(index)
                yield Problem(
                    tag.location,
                    _("{tag} closes the {opened} opened at {where}").format(
                        tag=tag.text, opened=f"{{% {opened} %}}", where=opening.location
                    ),
                    _("close it with {tag}").format(tag=f"{{% end{opened} %}}"),
                )
                continue
            stack.pop()
            if opening.prefix != tag.prefix:
                wanted = f"{{%{opening.prefix or ''} end{opened} %}}".replace("{% ", "{%")
                yield Problem(
                    tag.location,
                    _("{tag} closes {opening}, which uses {prefix}").format(
                        tag=tag.text, opening=opening.text, prefix=f"{{%{opening.prefix or ''} …%}}"
                    ),
                    _("close it with {tag}").format(tag=wanted),
                )
            elif opening.prefix == "tr" and _same_row(opening.location, tag.location):
                yield Problem(
                    tag.location,
                    _("{opening} and {tag} are in the same row").format(
                        opening=opening.text, tag=tag.text
                    ),
                    _(
                        "put {loop} in a row of its own, the repeated row(s) below it, "
                        "and {end} in a row of its own after them"
                    ).format(loop="{%tr for %}", end="{%tr endfor %}"),
                )
    for opened, opening in stack:
        yield Problem(
            opening.location,
            _("{tag} is never closed").format(tag=opening.text),
            _("add {tag}").format(
                tag=f"{{%{opening.prefix + ' ' if opening.prefix else ' '}end{opened} %}}"
            ),
        )


def _is_set_block(word: str, body: str) -> bool:
    """Return whether a tag opens ``{% set name %}…{% endset %}``."""
    return word == "set" and "=" not in body


def _same_row(a: Location, b: Location) -> bool:
    return a.part == b.part and a.table == b.table and a.row == b.row


def _unclosed(tags: list[_Tag]) -> list[str]:
    """Return the end tags that would close the blocks left open, innermost first."""
    stack: list[str] = []
    for tag in tags:
        if not tag.statement or not tag.body:
            continue
        word = tag.body.split(None, 1)[0]
        if word in _BLOCKS or _is_set_block(word, tag.body):
            stack.append(word)
        elif word.startswith("end") and stack and stack[-1] == word[3:]:
            stack.pop()
    return [f"{{% end{word} %}}" for word in reversed(stack)]


def _check_names(tags: list[_Tag], kind: str, closing: list[str]) -> list[Problem]:
    """Check every variable, attribute and filter against the variables of *kind*."""
    env = make_environment()
    lines: list[str] = []
    where: list[Location] = []
    for tag in tags:
        body = tag.body
        lines.append(("{% " + body + " %}") if tag.statement else ("{{ " + body + " }}"))
        where.append(tag.location)
    lines.extend(closing)  # blocks left open are reported already; close them to read on
    try:
        tree = env.parse("\n".join(lines))
    except TemplateSyntaxError as exc:
        location = where[exc.lineno - 1] if exc.lineno and exc.lineno <= len(where) else None
        return [Problem(location, _("syntax error: {problem}").format(problem=exc.message))]
    except (ValueError, RecursionError, MemoryError) as exc:
        message = _("cannot read the template's tags: {error}").format(
            error=f"{type(exc).__name__}: {exc}"
        )
        return [Problem(None, message)]
    walker = _Names(env, sample_context(kind), where)
    try:
        walker.visit(tree, [dict(walker.context)])
    except RecursionError:
        walker.problems.append(Problem(None, _("the template's expressions are nested too deeply")))
    return walker.problems


def _did_you_mean(name: str, choices: list[str]) -> str:
    guess = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return _("; did you mean {guess}?").format(guess=repr(guess[0])) if guess else ""


_UNKNOWN = object()
"""The value of an expression whose shape the checker cannot know (stops further checks)."""
_REFUSED = object()
"""The value of an expression that reached for Python internals (reported once)."""


class _Names:
    """Resolve names and attributes against a sample context, collecting problems."""

    def __init__(self, env: Any, context: dict[str, Any], where: list[Location]) -> None:
        self.env = env
        self.context = context
        self.where = where
        self.problems: list[Problem] = []

    def _location(self, node: nodes.Node) -> Location | None:
        line = getattr(node, "lineno", 0)
        return self.where[line - 1] if 0 < line <= len(self.where) else None

    def _report(self, node: nodes.Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self._location(node), message, hint))

    def visit(self, node: nodes.Node, scopes: list[dict[str, Any]]) -> Any:
        """Visit *node*; return the example value of an expression (or ``_UNKNOWN``)."""
        method = getattr(self, f"_visit_{type(node).__name__}", None)
        if method is not None:
            return method(node, scopes)
        for child in node.iter_child_nodes():
            self.visit(child, scopes)
        return _UNKNOWN

    def _visit_Name(self, node: nodes.Name, scopes: list[dict[str, Any]]) -> Any:
        if node.ctx != "load":
            return _UNKNOWN
        for scope in reversed(scopes):
            if node.name in scope:
                return scope[node.name]
        known = sorted({name for scope in scopes for name in scope})
        guess = difflib.get_close_matches(node.name, known, n=1, cutoff=0.5)
        self._report(
            node,
            _("unknown variable {name}").format(name=repr(node.name))
            + (_("; did you mean {guess}?").format(guess=repr(guess[0])) if guess else ""),
            _("see docs/variables.md for every variable a template can use"),
        )
        return _UNKNOWN

    def _visit_Getattr(self, node: nodes.Getattr, scopes: list[dict[str, Any]]) -> Any:
        return self._member(node, self.visit(node.node, scopes), node.attr)

    def _visit_Getitem(self, node: nodes.Getitem, scopes: list[dict[str, Any]]) -> Any:
        base = self.visit(node.node, scopes)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self._member(node, base, node.arg.value)
        self.visit(node.arg, scopes)
        if isinstance(base, list) and base:
            return base[0]
        return _UNKNOWN

    def _member(self, node: nodes.Node, base: Any, attribute: str) -> Any:
        if base is _REFUSED:
            return _REFUSED  # reported once, at the first forbidden step
        if attribute.startswith("_"):
            self._report(
                node,
                _("{name}: templates cannot reach Python internals").format(name=repr(attribute)),
                _("remove it; the sandbox refuses it anyway"),
            )
            return _REFUSED
        if base is _UNKNOWN or base is None:
            return _UNKNOWN
        if isinstance(base, dict):
            if attribute in base:
                return base[attribute]
            guess = difflib.get_close_matches(attribute, list(base), n=1, cutoff=0.5)
            self._report(
                node,
                _("unknown variable {name} here").format(name=repr(attribute))
                + (_("; did you mean {guess}?").format(guess=repr(guess[0])) if guess else ""),
                _("it has: {names}").format(names=", ".join(list(base)[:12])),
            )
            return _UNKNOWN
        if hasattr(base, attribute):
            return _UNKNOWN  # a method of a value, such as str.strip
        self._report(
            node,
            _("{kind} value has no {name}").format(kind=type(base).__name__, name=repr(attribute)),
        )
        return _UNKNOWN

    def _visit_Filter(self, node: nodes.Filter, scopes: list[dict[str, Any]]) -> Any:
        first = node.args[0] if node.args else None
        if node.name == "attr" and isinstance(first, nodes.Const) and str(first.value)[:1] == "_":
            self._report(
                node, _("{name}: templates cannot reach Python internals").format(name="attr('_…')")
            )
            return _REFUSED
        if node.node is not None:
            self.visit(node.node, scopes)
        for child in (*node.args, *(kw.value for kw in node.kwargs)):
            self.visit(child, scopes)
        if node.name not in self.env.filters or "-" in node.name:
            known = [name for name in self.env.filters if "-" not in name]  # not docgen-step
            guess = difflib.get_close_matches(node.name, known, n=1, cutoff=0.5)
            self._report(
                node,
                _("unknown filter {name}").format(name=repr(node.name))
                + (_("; did you mean {guess}?").format(guess=repr(guess[0])) if guess else ""),
                _("docgen's filters: money, score, rate, percent, date_cn, rmb_upper"),
            )
        return _UNKNOWN

    def _visit_Test(self, node: nodes.Test, scopes: list[dict[str, Any]]) -> Any:
        if node.name not in self.env.tests:
            known = list(self.env.tests)
            unknown = _("unknown test {name}").format(name=repr(node.name))
            self._report(node, unknown + _did_you_mean(node.name, known))
        if node.name in ("defined", "undefined"):
            return _UNKNOWN  # "x is defined" may name what does not exist
        return self.visit_children(node, scopes)

    def _visit_Include(self, node: nodes.Node, scopes: list[dict[str, Any]]) -> Any:
        self._report(
            node,
            _("a template cannot include, import or extend other files"),
            _("copy what you need into this template"),
        )
        return _UNKNOWN

    _visit_Import = _visit_FromImport = _visit_Extends = _visit_Include

    def _visit_With(self, node: nodes.With, scopes: list[dict[str, Any]]) -> Any:
        inner: dict[str, Any] = {}
        for target, value in zip(node.targets, node.values, strict=False):
            self._bind(target, self.visit(value, scopes), inner)
        for child in node.body:
            self.visit(child, [*scopes, inner])
        return _UNKNOWN

    def visit_children(self, node: nodes.Node, scopes: list[dict[str, Any]]) -> Any:
        """Visit every child of *node*; its own value is unknown."""
        for child in node.iter_child_nodes():
            self.visit(child, scopes)
        return _UNKNOWN

    def _visit_For(self, node: nodes.For, scopes: list[dict[str, Any]]) -> Any:
        items = self.visit(node.iter, scopes)
        item = items[0] if isinstance(items, list) and items else _UNKNOWN
        inner: dict[str, Any] = {"loop": _UNKNOWN}
        self._bind(node.target, item, inner)
        for child in node.body:
            self.visit(child, [*scopes, inner])
        for child in node.else_:
            self.visit(child, scopes)
        if node.test is not None:
            self.visit(node.test, [*scopes, inner])
        return _UNKNOWN

    def _visit_Assign(self, node: nodes.Assign, scopes: list[dict[str, Any]]) -> Any:
        value = self.visit(node.node, scopes)
        if isinstance(node.target, nodes.NSRef):
            return _UNKNOWN
        self._bind(node.target, value, scopes[-1])
        return _UNKNOWN

    def _visit_AssignBlock(self, node: nodes.AssignBlock, scopes: list[dict[str, Any]]) -> Any:
        for child in node.body:
            self.visit(child, scopes)
        self._bind(node.target, _UNKNOWN, scopes[-1])
        return _UNKNOWN

    def _visit_Macro(self, node: nodes.Macro, scopes: list[dict[str, Any]]) -> Any:
        inner = {arg.name: _UNKNOWN for arg in node.args} | {
            "caller": _UNKNOWN,
            "varargs": _UNKNOWN,
        }
        scopes[-1][node.name] = _UNKNOWN
        for child in node.body:
            self.visit(child, [*scopes, inner])
        return _UNKNOWN

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _UNKNOWN, scope)

    def _visit_Call(self, node: nodes.Call, scopes: list[dict[str, Any]]) -> Any:
        if isinstance(node.node, nodes.Name) and node.node.name in (
            "namespace",
            "range",
            "dict",
            "lipsum",
            "cycler",
            "joiner",
        ):
            pass  # Jinja's globals
        else:
            self.visit(node.node, scopes)
        for child in (*node.args, *(kw.value for kw in node.kwargs)):
            self.visit(child, scopes)
        return _UNKNOWN


def _trial_render(path: Path, kind: str, data: Path | None) -> list[Problem]:
    """Render the template with the first valid project of *data* (or sample data).

    The data is checked as ``docgen render`` checks it with this template: the template's own
    舍入规则 and 评分规则 apply where the data names none.
    """
    from docgen.engine import Engine
    from docgen.render.documents import KINDS, render_with
    from docgen.render.templates import load_path

    where = data.name if data is not None else _("sample data")
    try:
        loaded = load_path(path, kind)
        if data is not None:
            items = Engine().check_file(data, defaults=loaded.config.options)
            valid = next((i.valid for i in items if i.valid is not None), None)
            if valid is None:
                return [
                    Problem(
                        None,
                        _("{data}: no project without errors to render").format(data=data),
                        _("run docgen check on the data"),
                    )
                ]
        else:
            valid = sample_project()
        # The template's own edition (a 2022 template prints the 2022 form's words).
        render_with(loaded, KINDS[kind], valid.project, valid.evaluation, form=loaded.config.form)
    except DocgenError as exc:
        failed = _("trial render with {data} failed: {error}")
        return [Problem(None, failed.format(data=where, error=exc))]
    except MemoryError:
        message = _("trial render with {data} failed: the template ran out of memory")
        return [Problem(None, message.format(data=where))]
    except Exception as exc:  # the template's own code failed in an unexpected way
        failed = _("trial render with {data} failed: {error}")
        return [Problem(None, failed.format(data=where, error=f"{type(exc).__name__}: {exc}"))]
    return []

"""The one Jinja environment templates run in: sandboxed, autoescaped, strict, bounded."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from jinja2 import StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter
from jinja2.utils import Namespace

from docgen.i18n import _
from docgen.model.text import LINE_BREAK
from docgen.ooxml import listing
from docgen.render import limits
from docgen.render.bounded import (
    BOUNDED_FILTERS,
    STEP_FILTER,
    BoundedEscapeFormatter,
    BoundedFormatter,
    bounded_lipsum,
    bounded_range,
    check_call,
)
from docgen.render.filters import filters_for

try:  # markupsafe.escape's own escaping of a str, without the Markup around it
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe built without its C extension
    from markupsafe._native import _escape_inner

_MARKS = str.maketrans({"\n": listing.PARAGRAPH, LINE_BREAK: listing.LINE_BREAK, "\t": listing.TAB})


def finalize(value: Any) -> Any:
    """Return a value as it goes into the document: text's paragraphs become Word's."""
    if type(value) is str:
        if "\n" in value or "\t" in value or LINE_BREAK in value:
            return value.translate(_MARKS)  # resolved into Word structure after rendering
        return value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.translate(_MARKS)
    limits.check_expansion(value)
    return value


def escaped_output(value: Any) -> str:
    """Return ``escape(finalize(value))`` as text: what every ``{{ … }}`` of a template yields.

    One call where Jinja's code makes two and a ``Markup`` per output (a document has some
    three hundred); the same text, escaped the same way (``markupsafe.escape``'s own steps).
    Blocks and macros still return ``Markup``: Jinja wraps what they join.
    """
    if type(value) is str:
        if "\n" in value or "\t" in value or LINE_BREAK in value:
            value = value.translate(_MARKS)
        return _escape_inner(value)
    value = finalize(value)
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


# The documented attributes of a for loop's ``loop`` variable: plain values, always safe.
_LOOP_ATTRIBUTES = frozenset(
    ("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
     "previtem", "nextitem")
)  # fmt: skip


class BoundedTemplate(Template):
    """A compiled template whose every render has its own budget (``limits.Budget``)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Return the rendered text; a limit hit raises ``TemplateLimitError``."""
        with limits.budget():
            return super().render(*args, **kwargs)


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` (string concatenation) length-checked, and each
    output escaped and finalized in one call (``escaped_output``)."""

    def _fused(self, frame: Frame, finalize: Any) -> bool:
        """Return whether an output may go through ``escaped_output`` (autoescaped, fixed)."""
        return (
            not frame.eval_ctx.volatile
            and frame.eval_ctx.autoescape
            and finalize.src == "environment.finalize("
        )

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._fused(frame, finalize):
            self.write("environment.docgen_output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._fused(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.bounded_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _bounded_concat(join: Any, items: tuple[Any, ...]) -> str:
    for item in items:
        limits.check_expansion(item)
    limits.built(sum(len(x) if isinstance(x, str) else len(str(x)) for x in items))
    return join(items)  # type: ignore[no-any-return]


def _bounded_output(pieces: Iterable[str]) -> str:
    """Join a template's output, refusing more than ``MAX_OUTPUT`` characters."""
    items = list(pieces)
    if sum(map(len, items)) > limits.MAX_OUTPUT:
        raise limits.refuse(
            _("the template's output exceeds docgen's limit of {limit} characters"),
            limits.MAX_OUTPUT,
        )
    return "".join(items)


class DocgenEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, bounded, with a fast path for the plain data docgen hands to templates.

    Looking up a key of a ``dict`` or an attribute of a ``namespace`` can never reach Python
    internals, so it skips the sandbox's checks; everything else goes through them.  A dict's
    key wins over a method of the same name (``row.items`` is the key "items" if there is one).

    Every operation that can explode is checked first (``limits``): ``**``, ``*``, ``+`` and
    ``%`` are intercepted (so Jinja never folds them while compiling), ``~`` and the output are
    length-checked, each loop iteration and call counts against the render's budget, and the
    globals and filters that build text take bounded arguments.
    """

    intercepted_binops = frozenset(("**", "*", "+", "%"))
    code_generator_class = _BoundedCodeGenerator
    template_class = BoundedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = bounded_range
        self.globals["lipsum"] = bounded_lipsum
        self.filters.update(BOUNDED_FILTERS)
        self.concat = _bounded_output  # type: ignore[method-assign]
        self.bounded_concat = _bounded_concat
        self.docgen_output = escaped_output

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        elif type(obj) is LoopContext and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        elif type(obj) is Namespace and not attribute.startswith("_"):
            try:
                return obj._Namespace__attrs[attribute]  # what Namespace.__getattribute__ reads
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            limits.check_power(left, right)
        elif operator == "*":
            limits.check_multiply(left, right)
        elif operator == "+":
            limits.check_add(left, right)
        elif operator == "%" and isinstance(left, str):
            limits.check_percent_format(left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call *obj* from template code: counted, depth-limited, arguments checked."""
        args = check_call(obj, args)
        active = limits.current()
        if active is None:
            return super().call(context, obj, *args, **kwargs)
        active.step()
        active.depth += 1
        try:
            if active.depth > limits.MAX_DEPTH:
                raise limits.refuse(
                    _("the depth of nested calls exceeds docgen's limit of {limit} levels"),
                    limits.MAX_DEPTH,
                )
            return super().call(context, obj, *args, **kwargs)
        finally:
            active.depth -= 1

    def wrap_str_format(self, value: Any) -> Any:
        """Return ``str.format`` / ``format_map`` sandboxed, with widths checked."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner = value.__self__
        formatter: SandboxedFormatter = (
            BoundedEscapeFormatter(self, escape=owner.escape)
            if hasattr(owner, "__html__")
            else BoundedFormatter(self)
        )
        is_map = value.__name__ == "format_map"
        kind = type(owner)

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError(_("format_map() takes exactly one argument"))
                mapping: Any = args[0]
                return cast(str, kind(formatter.vformat(owner, (), mapping)))
            return cast(str, kind(formatter.vformat(owner, args, kwargs)))

        return bounded

    def compile(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        """Compile with a budget: what Jinja folds while compiling is bounded too."""
        with limits.budget():
            return super().compile(source, *args, **kwargs)

    def _generate(self, source: nodes.Template, *args: Any, **kwargs: Any) -> str:
        _count_iterations(source, self)
        return super()._generate(source, *args, **kwargs)


def _count_iterations(tree: nodes.Template, env: SandboxedEnvironment) -> None:
    """Make every loop iteration (and every item its ``if`` tests) count one budget step."""
    for loop in tree.find_all(nodes.For):
        tick = nodes.ExprStmt(nodes.Filter(nodes.Const(None), STEP_FILTER, [], [], None, None))
        tick.set_lineno(loop.lineno)
        tick.set_environment(env)
        loop.body.insert(0, tick)
        if loop.test is not None:
            counted = nodes.Filter(nodes.Const(True), STEP_FILTER, [], [], None, None)
            test = nodes.And(counted, loop.test)
            test.set_lineno(loop.lineno)
            test.set_environment(env)
            loop.test = test


def make_environment(numbers: str = "两位小数") -> SandboxedEnvironment:
    """Return a sandboxed environment with docgen's filters; autoescaping is always on.

    *numbers* is the template's ``数字格式``: how ``money``, ``score`` … print figures.
    """
    env = DocgenEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(filters_for(numbers))
    return env

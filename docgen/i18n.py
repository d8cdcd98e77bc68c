"""Speak the user's language: Chinese unless the locale or a setting asks for English.

Messages are written in English in the code (they are the gettext msgids) and translated
through the catalog ``docgen/locale/zh/LC_MESSAGES/docgen.mo``, shipped in the package
(``make messages`` extracts, updates and compiles it with Babel). The language is chosen, in
order, by the language of the current service request (``Accept-Language``, held in a context
variable so that concurrent requests do not mix), ``DOCGEN_LANG=zh|en``, and the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``): one naming English gives English; ``C``, ``POSIX``,
none or any other gives Chinese, the language of docgen's users. Field paths (``绩效指标[1].得分``)
keep the form's own labels in every language.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "docgen"
LOCALE_DIR = Path(__file__).resolve().with_name("locale")
CHINESE = "zh"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
DEFAULT = CHINESE
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_request_language: ContextVar[str | None] = ContextVar("docgen_language", default=None)


def language_named(name: str) -> str | None:
    """Return the language a tag or locale names (``zh_CN.UTF-8`` → ``zh``), if docgen has it."""
    tag = name.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return tag if tag in LANGUAGES else None


def language_from_env(environ: Mapping[str, str] = os.environ) -> str:
    """Return the language that ``DOCGEN_LANG`` or the locale of *environ* asks for."""
    chosen = environ.get("DOCGEN_LANG", "").strip()
    if chosen:
        return language_named(chosen) or DEFAULT
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:  # the first one set decides, as in POSIX; C and POSIX name no language
            return language_named(value) or DEFAULT
    return DEFAULT


def language_accepted(header: str | None) -> str | None:
    """Return the language an ``Accept-Language`` header prefers among docgen's, if any.

    ``en-US,en;q=0.9,zh;q=0.8`` → ``en``; ``zh-CN,zh;q=0.9`` → ``zh``; ``fr`` → ``None``.
    """
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((header or "").split(",")):
        tag, _sep, params = item.partition(";")
        language = language_named(tag)
        if language is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or (quality, -position) > (best[0], best[1])):
            best = (quality, -position, language)
    return best[2] if best else None


def current_language() -> str:
    """Return the language messages are given in now."""
    return _request_language.get() or language_from_env()


@contextmanager
def using_language(language: str | None) -> Iterator[None]:
    """Give messages in *language* within this block (``None``: as the environment says)."""
    token = _request_language.set(language)
    try:
        yield
    finally:
        _request_language.reset(token)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Return the catalog of *language* (English, the msgids' language, needs none)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """Return *message* in the current language."""
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:
    """Mark *message* for translation where it is defined; ``_`` translates it where used."""
    return message


__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "language_accepted",
    "language_from_env",
    "using_language",
]

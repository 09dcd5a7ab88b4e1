"""Finds user-visible text the package shows without marking it for translation.

``makemessages`` only sees marked strings; these read what it can not: the text and the
visible attributes of templates, and the places of Python code whose strings staff read
(labels, verbose names, help texts, table headers, descriptions, messages, form errors).
Command output, log messages and check messages are for operators and are not looked at.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

#: Words that read the same in every language.
UNTRANSLATED_WORDS = {"CSV"}

_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)
_BLOCKTRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL
)
# Blocks that hold class names and markup for the page's head, no text.
_CODE_BLOCKS = re.compile(
    r"{%\s*block\s+(?:bodyclass|extrastyle|extrahead)\s*%}.*?{%\s*endblock\b.*?%}", re.DOTALL
)
# Style sheets and scripts inside a template are code, not text (an e-mail's inline CSS).
_STYLE_AND_SCRIPT = re.compile(r"<(style|script)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VISIBLE_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "label"}
_BUTTON_TYPES = {"submit", "button", "reset"}
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> list[str]:
    return [
        word for word in _WORD.findall(_ENTITY.sub(" ", text)) if word not in UNTRANSLATED_WORDS
    ]


def template_text(source: str) -> list[str]:
    """The words of ``source`` (a Django template) shown to people but not translated."""
    source = _CODE_BLOCKS.sub("", _BLOCKTRANSLATE.sub("", _COMMENT.sub("", source)))
    source = _STYLE_AND_SCRIPT.sub("", source)
    source = _TEMPLATE_CODE.sub("", source)
    found: list[str] = []
    for tag in _TAG.findall(source):
        attributes = {
            m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _ATTRIBUTE.finditer(tag)
        }
        for name, value in attributes.items():
            visible = name in _VISIBLE_ATTRIBUTES or (
                name == "value" and attributes.get("type", "").lower() in _BUTTON_TYPES
            )
            if visible:
                found += _words(value)
    found += _words(_TAG.sub(" ", source))
    return found


#: Keyword arguments and class attributes whose text staff read.
USER_FACING_NAMES = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "description",
    "short_description",
    "label",
    "empty_text",
    "empty_value_display",
    "search_help_text",
    "title",
}
# Command lines are for operators, in English like Django's own commands.
_COMMAND_LINE = {"ArgumentParser", "add_argument", "add_argument_group", "add_parser"}
_MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}


def _is_text(node: ast.AST | None) -> bool:
    """A string literal with words, or an f-string: text that no gettext call went around."""
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(_WORD.search(node.value))
    )


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _message_call(call: ast.Call) -> bool:
    """``messages.warning(request, ...)``, ``self.message_user(request, ...)`` and the like."""
    function = call.func
    if not isinstance(function, ast.Attribute):
        return False
    if function.attr in ("message_user", "add_message"):
        return True
    return function.attr in _MESSAGE_LEVELS and _name(function.value) == "messages"


def _unmarked_arguments(call: ast.Call) -> Iterator[ast.AST]:
    function = _name(call.func)
    if function in _COMMAND_LINE:
        return
    yield from (k.value for k in call.keywords if k.arg in USER_FACING_NAMES and _is_text(k.value))
    first = call.args[0] if call.args else None
    if (function.endswith("Field") or function == "ValidationError") and _is_text(first):
        yield call.args[0]  # a model field's verbose name, a form's error
    if _message_call(call):
        yield from (arg for arg in call.args if _is_text(arg))


def _unmarked_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from _unmarked_arguments(node)
        elif isinstance(node, ast.ClassDef):
            yield from (
                statement.value
                for statement in node.body
                if isinstance(statement, ast.Assign)
                and _is_text(statement.value)
                and any(_name(target) in USER_FACING_NAMES for target in statement.targets)
            )


def python_text(source: str) -> list[str]:
    """The user-facing strings of ``source`` (Python) not marked for translation, as
    ``line: text``."""
    return [f"{node.lineno}: {ast.unparse(node)}" for node in _unmarked_nodes(ast.parse(source))]


def package_findings(package: Path) -> dict[str, list[str]]:
    """Every file of ``package`` with what it shows untranslated; migrations are left out (their
    verbose names are copies of the models')."""
    findings: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.html")):
        if words := template_text(path.read_text(encoding="utf-8")):
            findings[str(path.relative_to(package))] = words
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if texts := python_text(path.read_text(encoding="utf-8")):
            findings[str(path.relative_to(package))] = texts
    return findings

"""The investigator's query language, parsed once and translated by each search backend.

What a user may type in the query box::

    虚开发票                      a word: records containing it
    "城南 路灯"                   a phrase: the words in this order, side by side
    路灯 维修                     both (AND is implied between neighbours)
    路灯 AND 维修, 路灯 && 维修    both, said explicitly
    路灯 OR 井盖, 路灯 || 井盖     either
    NOT 撤诉, -撤诉, !撤诉         without it
    (路灯 OR 井盖) -已办结          parentheses group
    名称:张伟  代码:91330100...   a field: only that part of the record (see FIELDS)

The operators are written in capitals (AND, OR, NOT) so that the English words in a record's
text stay ordinary words. Anything the parser cannot read raises ``QuerySyntaxError`` with a
message for the user, in their language, and the position of the problem: a query is never a
server error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 2_000
MAX_TERMS = 100

# What a field filter may name, in Chinese or English, and the record field it searches.
FIELDS = {
    "标题": "title", "title": "title",
    "内容": "body", "body": "body",
    "名称": "names", "姓名": "names", "name": "names",
    "代码": "credit_codes", "信用代码": "credit_codes", "code": "credit_codes",
    "身份证": "id_numbers", "身份证号": "id_numbers", "id": "id_numbers",
    "电话": "phones", "phone": "phones",
    "系统": "system", "system": "system",
    "地区": "region", "region": "region",
    "年份": "year", "year": "year",
}


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None  # None: the title and the text
    phrase: bool = False


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


class QuerySyntaxError(ValueError):
    """A query that cannot be read; ``message`` is for the user, ``position`` counts from 0."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.message = message
        self.position = position


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<open>[(（])
  | (?P<close>[)）])
  | (?P<and>&&)
  | (?P<or>\|\|)
  | (?P<quote>["“”])
  | (?P<minus>[-!！](?=\S))
  | (?P<word>[^\s()（）"“”]+)
    """,
    re.VERBOSE,
)
# A field name never starts with a minus or an exclamation mark: "-地区:cn" is NOT 地区:cn.
_FIELD_PREFIX = re.compile(r"(?P<name>[^\s()（）\"“”:：\-!！][^\s()（）\"“”:：]*)[:：]")


@dataclass
class _Token:
    kind: str  # open, close, and, or, not, term
    position: int
    term: Term | None = None


def parse(text: str):
    """The query as a tree of Term, And, Or and Not; raises QuerySyntaxError."""
    text = (text or "").rstrip()
    if not text.strip():
        raise QuerySyntaxError(_("Type something to search for."), 0)
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            _("The query is too long: at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH},
            MAX_QUERY_LENGTH,
        )
    tokens = _tokens(text)
    if sum(token.kind == "term" for token in tokens) > MAX_TERMS:
        raise QuerySyntaxError(_("Too many words: at most %(limit)d.") % {"limit": MAX_TERMS}, 0)
    parser = _Parser(tokens, len(text))
    tree = parser.or_expression()
    if parser.peek() is not None:
        raise QuerySyntaxError(
            _("There is a closing parenthesis without its opening one."), parser.peek().position
        )
    return tree


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        field = None
        prefix = _FIELD_PREFIX.match(text, position)
        if prefix and prefix.group("name") not in ("http", "https"):
            field = _field(prefix.group("name"), position)
            value_at = prefix.end()
        else:
            value_at = position
        match = _TOKEN.match(text, value_at)
        kind = match.lastgroup
        if field is not None and kind not in ("quote", "word"):
            raise QuerySyntaxError(
                _("The field “%(name)s” has nothing to search for: write the value right after the colon.")
                % {"name": prefix.group("name")},
                position,
            )
        if kind == "quote":
            close = _closing_quote(text, match.end())
            if close is None:
                raise QuerySyntaxError(_("A quotation mark is not closed."), value_at)
            phrase = " ".join(text[match.end() : close].split())
            if not phrase:
                raise QuerySyntaxError(_("The quotation marks hold nothing to search for."), value_at)
            tokens.append(_Token("term", position, Term(phrase, field=field, phrase=True)))
            position = close + 1
        elif kind == "word":
            word = match.group()
            if field is None and word in ("AND", "OR", "NOT"):
                tokens.append(_Token(word.lower(), position))
            else:
                tokens.append(_Token("term", position, Term(word, field=field)))
            position = match.end()
        else:
            if kind != "space":
                tokens.append(_Token({"minus": "not"}.get(kind, kind), position))
            position = match.end()
    return tokens


def _closing_quote(text: str, start: int) -> int | None:
    for index in range(start, len(text)):
        if text[index] in "\"“”":
            return index
    return None


def _field(name: str, position: int) -> str:
    field = FIELDS.get(name) or FIELDS.get(name.lower())
    if field is None:
        chinese = "、".join(sorted({key for key in FIELDS if not key.isascii()}))
        raise QuerySyntaxError(
            _(
                "“%(name)s” is not a field you can search in. Fields: %(fields)s. "
                "To search for the text itself, put it in quotation marks."
            )
            % {"name": name, "fields": chinese},
            position,
        )
    return field


class _Parser:
    def __init__(self, tokens: list[_Token], length: int):
        self.tokens = tokens
        self.index = 0
        self.length = length

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def or_expression(self):
        items = [self.and_expression()]
        while self.peek() is not None and self.peek().kind == "or":
            self.take()
            items.append(self.and_expression())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expression(self):
        items = [self.not_expression()]
        while self.peek() is not None and self.peek().kind not in ("or", "close"):
            if self.peek().kind == "and":
                self.take()
            items.append(self.not_expression())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expression(self):
        token = self.peek()
        if token is not None and token.kind == "not":
            self.take()
            return Not(self.not_expression())
        return self.atom()

    def atom(self):
        token = self.peek()
        if token is None:
            raise QuerySyntaxError(_("The query ends where a word was expected."), self.length)
        if token.kind == "open":
            self.take()
            inner = self.or_expression()
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise QuerySyntaxError(_("A parenthesis is opened but not closed."), token.position)
            self.take()
            return inner
        if token.kind == "term":
            self.take()
            return token.term
        operator = {"and": "AND", "or": "OR", "close": ")"}.get(token.kind, token.kind)
        message = _("“%(operator)s” needs a word or a phrase on each side.") % {"operator": operator}
        raise QuerySyntaxError(message, token.position)


def terms(tree) -> list[Term]:
    """Every term of the tree, in order (for highlighting and for the batch matrix)."""
    if isinstance(tree, Term):
        return [tree]
    if isinstance(tree, Not):
        return terms(tree.item)
    return [term for item in tree.items for term in terms(item)]

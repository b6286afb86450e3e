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
    名称:"张伟"                   a quoted name: exactly that name (张伟, not 张伟柏)

AND, OR and NOT may be written in any case, and so may the field names (Name:, NAME:); to
search for the word "and" itself, quote it. Anything the parser cannot read raises
``QuerySyntaxError`` with a message for the user, in their language, and the position of the
problem: a query is never a server error. The bounds (length, words, nesting) are checked as the
query is read, before any of it reaches a search backend, so that no query can exhaust the parser
or be refused by Elasticsearch (whose bool queries nest at most 30 deep).

The parser knows only the syntax. What a system's or a region's name stands for, and which words
mean the same, is decided by ``search.investigate.interpret`` with the database at hand.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common import cjk

# A search is a GET: its query travels in the web address, where an ideograph takes nine bytes
# (%E5%BC%A0), and again in the next request's Referer. A thousand of them, with the purpose and
# every filter, twice, fit in what daphne reads of a request (settings.REQUEST_HEAD_LIMIT) and
# in a proxy's buffers; and a thousand characters is more than any query a person types.
# The query box checks it in the browser too (data-max-chars), before the address is sent.
MAX_QUERY_LENGTH = 1_000
MAX_TERMS = 100
# Parentheses and NOTs inside each other: a person writes two or three; a query of a thousand
# "(" would exhaust the parser's recursion and exceed Elasticsearch's max_nested_depth (30).
MAX_NESTING = 10
OPERATORS = ("AND", "OR", "NOT")

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
    phrase: bool = False  # in quotation marks: a phrase; with 名称: the exact name
    position: int = dataclasses.field(default=0, compare=False)  # where it was typed, for explanations


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
        match = _TOKEN.match(text, value_at)  # None only after a field's colon at the very end
        kind = match.lastgroup if match else None
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
            tokens.append(_Token("term", position, Term(phrase, field=field, phrase=True, position=position)))
            position = close + 1
        elif kind == "word":
            word = match.group()
            if field is None and word.upper() in OPERATORS:
                tokens.append(_Token(word.lower(), position))
            else:
                tokens.append(_Token("term", position, Term(word, field=field, position=position)))
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


def field_key(name: str) -> str:
    """A field name as FIELDS lists it: full-width letters and any case read as typed plainly."""
    return cjk.fold(name)


def _field(name: str, position: int) -> str:
    found = FIELDS.get(name) or FIELDS.get(field_key(name))
    if found is None:
        chinese = "、".join(sorted({key for key in FIELDS if not key.isascii()}))
        raise QuerySyntaxError(
            _(
                "“%(name)s” is not a field you can search in. Fields: %(fields)s. "
                "To search for the text itself, put it in quotation marks."
            )
            % {"name": name, "fields": chinese},
            position,
        )
    return found


class _Parser:
    """Recursive descent over the tokens; ``depth`` counts the parentheses and NOTs around the
    current position, so that nesting is refused before it costs a deep recursion."""

    def __init__(self, tokens: list[_Token], length: int):
        self.tokens = tokens
        self.index = 0
        self.length = length
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def deeper(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise QuerySyntaxError(
                _("Parentheses and NOTs are nested too deeply: at most %(limit)d inside each other.")
                % {"limit": MAX_NESTING},
                token.position,
            )

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
            self.deeper(token)
            inner = self.not_expression()
            self.depth -= 1
            return Not(inner)
        return self.atom()

    def atom(self):
        token = self.peek()
        if token is None:
            raise QuerySyntaxError(_("The query ends where a word was expected."), self.length)
        if token.kind == "open":
            self.take()
            self.deeper(token)
            inner = self.or_expression()
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise QuerySyntaxError(_("A parenthesis is opened but not closed."), token.position)
            self.take()
            self.depth -= 1
            return inner
        if token.kind == "term":
            self.take()
            return token.term
        operator = {"and": "AND", "or": "OR", "close": ")"}.get(token.kind, token.kind)
        message = _("“%(operator)s” needs a word or a phrase on each side.") % {"operator": operator}
        raise QuerySyntaxError(message, token.position)


def reads_text(tree) -> bool:
    """Whether a word of the query is looked for in the text (title, text, names), where what a
    reader may see of identifiers matters; the fields of codes, ID and phone numbers, systems,
    regions and years, and an exact name (名称:"张伟"), are matched as whole values."""
    return any(
        term.field in (None, "title", "body") or (term.field == "names" and not term.phrase)
        for term in terms(tree)
    )


def terms(tree) -> list[Term]:
    """Every term of the tree, in order (for highlighting and for the batch matrix)."""
    if isinstance(tree, Term):
        return [tree]
    if isinstance(tree, Not):
        return terms(tree.item)
    return [term for item in tree.items for term in terms(item)]

"""With ELASTICSEARCH_URL, elasticsearch-dsl indexes Chinese text and finds it by phrase.

Only the core analysis modules are assumed (DESIGN §7): the standard tokenizer makes one token per
ideograph, and ``index_phrases`` makes phrase queries act as substring search.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from elasticsearch_dsl import Document, Index, Keyword, Text

from search.index.connection import elasticsearch_client

pytestmark = pytest.mark.elasticsearch


class Note(Document):
    code = Keyword()
    body = Text(analyzer="standard", index_phrases=True)


@pytest.fixture
def index_name():
    client = elasticsearch_client()
    name = f"{settings.SEARCH_INDEX_PREFIX}-test-{uuid.uuid4().hex[:12]}"
    Note.init(index=name, using=client)
    yield name
    Index(name, using=client).delete(ignore_unavailable=True)
    assert not client.indices.exists(index=name)


def test_it_finds_chinese_text_by_phrase(index_name):
    client = elasticsearch_client()
    Note(meta={"id": "1"}, code="12345-0001", body="市民反映某小区违规收取物业费，要求核查。").save(
        index=index_name, using=client
    )
    Note(meta={"id": "2"}, code="12345-0002", body="道路照明设施损坏，请尽快维修。").save(
        index=index_name, using=client
    )
    client.indices.refresh(index=index_name)

    hits = Note.search(index=index_name, using=client).query("match_phrase", body="物业费").execute()
    assert [hit.meta.id for hit in hits] == ["1"]
    assert hits[0].code == "12345-0001"
    # The same characters out of order are not the phrase.
    miss = Note.search(index=index_name, using=client).query("match_phrase", body="费业物").execute()
    assert len(miss) == 0
    exact = Note.search(index=index_name, using=client).filter("term", code="12345-0002").execute()
    assert [hit.meta.id for hit in exact] == ["2"]

"""Helpers shared by the tests (and bench/): the corpus, a page server, alert receivers, workers as
subprocesses, edits of policy texts, fetch settings and the PostgreSQL test database.

Tests import them from here (``from tests.helpers.corpus import corpus_text``); conftest.py only
builds fixtures on them."""

"""One check of one operator, as a few plain steps:

    plan    → Target            what to fetch, conditional on the capture we hold   (reads the store)
    fetch   → FetchResult       monitor.watch.fetch                                        (network)
    judge   → Verdict           body → document, sanity checks, compare with current (pure; may ask
                                for the current version's document through a callback)
    record  → CheckReport       check row, capture, version, comparison, operator state: one
                                transaction, ending in :func:`on_recorded`, the place where alerts
                                are enqueued so that a crash cannot lose one

The record step also sets when the operator is due next (its interval plus jitter) and ends the
claim of the worker that checked it (``policy-monitor run``, :mod:`monitor.store.schedule`).

``run_checks`` runs many checks: fetches concurrently (asyncio), judges and records one at a time in
a worker thread, each in its own transaction holding the operator's row lock.
"""

import sys

# httpx's __init__ imports its command-line client (httpx._main) when click, rich and pygments are
# installed, as they are here: some 60 ms of imports (rich.progress, rich.syntax, pygments lexers)
# that every check would pay for a CLI it never runs. A None entry in sys.modules makes that import
# fail, and httpx then defines a stub `main` instead (its `except ImportError` branch). Every module
# that imports httpx for fetching is in this package, so this runs before the first `import httpx`
# of a check; it changes nothing when httpx was imported already.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

"""The web view (``policy-monitor serve``, ``run --serve``): read-only pages, JSON and Atom feeds."""

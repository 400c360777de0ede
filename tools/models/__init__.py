"""Typed data of the whole product, at the bottom of the layers (imports only `tools.vocab`).

* ``account``: `Account` (canonical columns) and `CatalogItem`.
* ``evidence``: structured evidence (a field value, a comparison, a notes quote...).
* ``findings``: `NoteFinding` / `NoteFindings`, what free notes say.
* ``assessment``: `Assessment` and its parts, everything decided about an account.
* ``brief``: `Brief`, the decided facts plus the six deliverables.
"""

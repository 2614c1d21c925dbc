"""The email logic of mail_lead_capture, in plain Python.

Nothing in this package imports ``odoo`` or touches a database: the models read records, call these
functions with plain values (strings, sets, bytes) and write the results. Each module is named for
what it does and is unit-tested without a database (see the top-level ``tests/`` folder).
Forward recovery (``forwards/``) and mailbox sync (``imap/``) are sub-packages whose ``__init__``
is their public surface; ``headers`` is the one reading of header text, dates and Message-Ids.

Nothing here translates text either: decisions carry codes and values, and the models turn them into
translated sentences.
"""

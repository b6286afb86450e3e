"""Detection (DESIGN §12): warning models watch the linked records by themselves.

``models`` holds scenarios, warning models and their immutable versions, runs, warnings and
their evidence, exemptions and screening lists. A version is a template of ``patterns`` (list
match, sequence, grouped threshold, first appearance, outlier, relation path, re-screen) with
its parameters, compiled to one set-based SQL query over the record keys. ``runs`` executes it
and groups the rows into warnings by fingerprint, writing nothing; ``backtest`` previews a
version; ``versions`` compares two. ``actions`` makes every change (versions, switching on and
back, runs and what they write, exemptions, screening lists), ``permissions`` decides what a
model reads and who sees its warnings and writes the search log, ``tasks`` runs models nightly
and after each ingest, ``seeds`` loads the models shipped as data (``seeds/*.toml``), and
``exports`` writes warnings as JSON lines for operators.
"""

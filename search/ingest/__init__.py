"""Ingestion (DESIGN §7, §12): linked systems' exports become linked records.

``registry`` names the city's linked systems and their field mappings; ``mapping`` turns one row
into a linked record, checking its identifiers (``identifiers``), and gives its record keys,
their values normalised by ``keys``; ``files`` loads a whole file batch by batch, writing the
records and their keys through ``upsert`` and into the search index; ``backfill`` gives keys to
the records stored without them. The upload page's side: who may upload where and see which
run (``permissions``), the file's checks (``upload_checks``), where it is kept (``storage``), the
changes the page makes (``actions``) and the worker's task (``tasks``). ``loading`` tells the
pages how far a load has got, ``progress`` the long commands.
"""

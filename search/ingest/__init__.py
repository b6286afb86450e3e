"""Ingestion (DESIGN §7, §12): linked systems' exports become linked records.

``registry`` names the city's linked systems and their field mappings; ``mapping`` turns one row
into a linked record, checking its identifiers (``identifiers``); ``files`` loads a whole file batch by
batch, writing through ``upsert`` and into the search index. The upload page's side: who may
upload where and see which run (``permissions``), the file's checks (``upload_checks``), where it
is kept (``storage``), the changes the page makes (``actions``) and the worker's task
(``tasks``). ``loading`` tells the pages how far a load has got, ``progress`` the long commands.
"""

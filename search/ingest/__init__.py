"""Ingestion (DESIGN §7, §12): linked systems' exports become linked records.

``registry`` names the city's linked systems and their field mappings; ``mapping`` turns one row
into a record, checking its identifiers (``identifiers``); ``files`` loads a whole file batch by
batch, writing through ``upsert`` and into the search index; ``uploads`` is the upload page's
side of it. ``loading`` tells the search page how far a background load has got, ``progress``
the long commands.
"""

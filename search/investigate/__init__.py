"""The investigator's side of the search (DESIGN §7): who may read which linked system, what a
query means, and the work done on whole result sets.

``permissions`` decides who reads which system and writes the search log; ``interpret`` turns
a parsed query into what is indexed; ``forms`` reads the search page's query string. The
background work: ``exports``, ``batch`` (batch searches), ``alerts`` (saved searches told of new
linked records), ``stored_query`` (a search kept as JSON); ``actions`` starts and changes them,
``tasks`` runs them on the worker, ``work_forms`` parses their pages' input. What a masked
linked record shows is decided in ``search.masking``, below the index.
"""

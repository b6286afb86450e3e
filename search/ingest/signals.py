"""What ingestion tells the rooms above it, which it may not import (DESIGN §3): warning models
run over the linked records a load added (search.detection connects to it in SearchConfig.ready)."""

from django.dispatch import Signal

# Sent once a file's load has finished and its last batch committed; ``run`` is the IngestRun,
# whose linked records are those it wrote (Record.ingest_run).
records_loaded = Signal()

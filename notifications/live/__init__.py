"""The live layer (DESIGN §6): typed events and their one sender (``events``), the transactional
outbox that numbers them into streams (``outbox``), the WebSocket consumer (``consumers``) and
the stream registry through which other apps say who may read their streams (``streams``)."""

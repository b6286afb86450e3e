"""The harvest (DESIGN §13): hits an investigator ticks become a clue (问题线索), with the linked
records as its evidence, and a clue is pushed to the board as an issue, once.

``clues`` reads them (whose clues, their evidence as its reader may see it, the words of the
issue a clue becomes); ``actions`` changes them; ``forms`` parses the clue pages' input.
"""

"""Everything only the demo needs (DESIGN §3): the demo city 江州市, its board cases (data files in
``demo/cases/``), its portal pages, the linked-system record generator and the seed commands.

bench/, the tests and this app's own commands import it; product code never does (the import
contract in pyproject.toml checks it).
"""

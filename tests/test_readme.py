"""The README's quick start is the newcomer's first contact: keep its demo logins true."""

import re
from pathlib import Path

from demo.city import DEMO_LOGINS, DEMO_PASSWORD

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_it_opens_with_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick_start
    assert "make test" in quick_start


def test_it_lists_every_demo_login_and_the_password():
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.MULTILINE))
    assert listed == {login.username for login in DEMO_LOGINS}
    assert f"`{DEMO_PASSWORD}`" in README

"""The browser playground: the real bot on a local Bot API server, with a chat page.

`run_playground` is what `python -m bot` runs without a token; `start_playground` starts the
same thing and returns a handle, for tests.
"""

from bot.playground.assembly import Playground, PortUnavailable, start_playground
from bot.playground.runner import run_playground

__all__ = ["Playground", "PortUnavailable", "run_playground", "start_playground"]

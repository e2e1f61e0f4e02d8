"""The browser playground: the real bot on a local Bot API server, with a chat page.

`run_playground` is what `python -m launcher` runs without a token; `start_playground` starts the
same thing and returns a handle, for tests.
"""

from playground.assembly import Playground, PortUnavailable, start_playground
from playground.runner import run_playground

__all__ = ["Playground", "PortUnavailable", "run_playground", "start_playground"]

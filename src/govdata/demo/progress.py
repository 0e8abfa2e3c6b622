"""Progress reporting for the generator: a ``ProgressFactory`` starts a task and returns its
``advance(n)`` callback; ``rich_progress()`` gives one backed by Rich progress bars. Raises nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[int], None]
ProgressFactory = Callable[[str, int], Advance]


def silent(label: str, total: int) -> Advance:
    return lambda n: None


@contextmanager
def rich_progress() -> Iterator[ProgressFactory]:
    """``with rich_progress() as progress: generate(out, progress=progress)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bars:

        def start(label: str, total: int) -> Advance:
            task = bars.add_task(label, total=total)
            return lambda n: bars.advance(task, n)

        yield start

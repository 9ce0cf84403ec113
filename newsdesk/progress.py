"""Progress for long steps: a bar on a terminal, a line every few seconds elsewhere."""

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from rich import progress as rich

Item = TypeVar("Item")
LINE_INTERVAL = 5  # seconds between progress lines when the output is not a terminal


def human_bytes(count: float) -> str:
    """`1.2 MB`-style size (decimal units, as rich shows them)."""
    for unit in ("bytes", "kB", "MB"):
        if count < 1000:
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def progress(items: Iterable[Item], description: str, enabled: bool = True,
             total: int | None = None, size: Callable[[Item], int] | None = None,
             total_size: int | None = None) -> Iterator[Item]:
    """Yield `items`, showing progress; pass `total` to keep a lazy iterable lazy.

    With `size` (item -> bytes) and `total_size`, bytes are shown next to the item count.
    """
    if total is None:
        items = list(items)
        total = len(items)
    if not enabled or not total:
        yield from items
        return
    if sys.stdout.isatty():
        if size is None:
            yield from rich.track(items, description=description, total=total, transient=True)
        else:
            yield from _bar_with_bytes(items, description, total, size, total_size)
        return
    last, done = time.monotonic(), 0
    for n, item in enumerate(items, 1):
        yield item
        done += size(item) if size else 0
        if time.monotonic() - last > LINE_INTERVAL or n == total:
            amount = f", {human_bytes(done)}/{human_bytes(total_size or 0)}" if size else ""
            print(f"{description}: {n}/{total}{amount}", flush=True)
            last = time.monotonic()


def _bar_with_bytes(items: Iterable[Item], description: str, total: int,
                    size: Callable[[Item], int], total_size: int | None) -> Iterator[Item]:
    columns = (rich.TextColumn("{task.description} {task.fields[files]}"), rich.BarColumn(),
               rich.DownloadColumn(), rich.TimeRemainingColumn())
    with rich.Progress(*columns, transient=True) as bar:
        task = bar.add_task(description, total=total_size, files=f"0/{total}")
        for n, item in enumerate(items, 1):
            yield item
            bar.update(task, advance=size(item), files=f"{n}/{total}")

"""Progress for long steps: a bar on a terminal, a line every few seconds elsewhere."""

import sys
import time

from rich.progress import track


def progress(items, description, enabled=True, total=None):
    """Yield `items`, showing progress; pass `total` to keep a lazy iterable lazy."""
    if total is None:
        items = list(items)
        total = len(items)
    if not enabled or not total:
        yield from items
        return
    if sys.stdout.isatty():
        yield from track(items, description=description, total=total, transient=True)
        return
    last = time.monotonic()
    for n, item in enumerate(items, 1):
        yield item
        if time.monotonic() - last > 5 or n == total:
            print(f"{description}: {n}/{total}", flush=True)
            last = time.monotonic()

"""Progress for long steps: a bar on a terminal, a line every few seconds elsewhere."""

import sys
import time

from rich.progress import track


def progress(items, description, enabled=True):
    items = list(items)
    if not enabled or not items:
        yield from items
        return
    if sys.stdout.isatty():
        yield from track(items, description=description, transient=True)
        return
    last = time.monotonic()
    for n, item in enumerate(items, 1):
        yield item
        if time.monotonic() - last > 5 or n == len(items):
            print(f"{description}: {n}/{len(items)}", flush=True)
            last = time.monotonic()

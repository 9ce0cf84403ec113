"""What the last passing check of an output folder saw, so that the next checks what changed.

One state per output folder, in the build state (newsdesk.buildstate, table checks): the site
manifest (hashes and stat keys per
file, so that the next look hashes only files that changed), the
link graph (which pages and feeds link to which files), the digest of each article's text,
the fingerprint of the code, theme and
settings (newsdesk.fingerprint.site_code) and the checks left out. Only a check that found no
problem writes it, in one transaction.
"""

import builtins
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newsdesk import buildstate
from newsdesk.publish.manifest import Entry, Manifest

VERSION = 2  # of the state's layout


class LinkGraph:
    """Which files each page or feed links to (site paths, stored once each)."""

    def __init__(self, nodes: Iterable[str] = (),
                 links: Iterable[tuple[int, Iterable[int]]] = ()) -> None:
        self.nodes = list(nodes)
        self.index = {name: i for i, name in enumerate(self.nodes)}
        self.links = {source: set(targets) for source, targets in links}

    def _id(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.nodes)
            self.nodes.append(name)
        return self.index[name]

    def set(self, source: str, targets: Iterable[str]) -> None:
        self.links[self._id(source)] = {self._id(target) for target in targets}

    def keep_only(self, sources: Iterable[str]) -> None:
        """Forget the links of every page or feed not in `sources`."""
        kept = {self.index[name] for name in sources if name in self.index}
        self.links = {source: targets for source, targets in self.links.items()
                      if source in kept}

    def linking_into(self, names: Iterable[str]) -> builtins.set[str]:
        """The pages and feeds that link to any of `names`."""
        wanted = {self.index[name] for name in names if name in self.index}
        return {self.nodes[source] for source, targets in self.links.items()
                if not wanted.isdisjoint(targets)}

    def dump(self) -> tuple[list[str], list[tuple[int, list[int]]]]:
        """(nodes, links): what LinkGraph() takes, with only the names still linked."""
        nodes: dict[str, int] = {}
        links = []
        for source, targets in self.links.items():
            ids = [nodes.setdefault(self.nodes[t], len(nodes)) for t in targets]
            links.append((nodes.setdefault(self.nodes[source], len(nodes)), ids))
        return list(nodes), links


class LastCheck:
    """The state a passing check left."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.code = data["code"]
        self.skipped = set(data["skipped"])
        self.known = {path: (stat_key, Entry(*entry))
                      for path, (stat_key, *entry) in data["files"].items()}
        self.files = {path: entry.sha256 for path, (_, entry) in self.known.items()}
        self.graph = LinkGraph(*data["graph"])
        self.texts = data["texts"]


class CheckState:
    """The check state of one output folder."""

    def __init__(self, cache: Path | str, output: Path | str) -> None:
        self.output = str(Path(output).resolve())
        self.store = buildstate.store(cache)

    def load(self) -> LastCheck | None:
        """The last passing check, or None."""
        data = self.store.check(self.output)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        return LastCheck(data)

    def save(self, code: str | None, skipped: Iterable[str], manifest: Manifest, graph: LinkGraph,
             texts: Mapping[str, str]) -> None:
        """Remember a passing check; `texts`: the digest of every article page's text."""
        stat_keys = getattr(manifest, "stat_keys", {})
        data = {"version": VERSION, "output": self.output, "code": code,
                "skipped": sorted(skipped),
                "files": {path: (stat_keys.get(path), entry.size, entry.sha256, entry.md5)
                          for path, entry in manifest.items()},
                "graph": graph.dump(), "texts": texts}
        with self.store.transaction() as writes:
            writes.put_check(self.output, data)


def why_full(last: LastCheck | None, code: str | None, skip: Iterable[str]) -> str | None:
    """Why the whole site must be checked, or None if the changes will do."""
    if last is None:
        return "no earlier passing check of this folder"
    if last.code != code:
        return "code, theme or settings changed"
    if not last.skipped <= set(skip):
        return f"{', '.join(sorted(last.skipped - set(skip)))} left out of the last check"
    return None

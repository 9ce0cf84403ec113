"""Articles kept whole between builds: an unchanged file is not made into an Article again.

Pelican's content cache would keep what the Markdown reader made of a file; making the Article
from that, with every plugin's checks, still costs about half a millisecond per file, most of
a rebuild's reading at tens of thousands of articles. Here each Article is pickled as Pelican
and the plugins leave it, the moment Pelican has checked it, into the build cache
(the memo `articles`, newsdesk.memo: dropped whenever code, theme, photos or settings
change). The settings and the shared context are left out of each pickle and joined
again when it is loaded. This takes the place of Pelican's reader cache between builds:
newsdesk.build does not load that, and it is saved empty (within a build it still hands the
files read in parallel, newsmeta.prefetch, to Pelican).

A kept article is used when its file, and every file it links to (lead photo, {static} and
{attach} links), has the size, modification and change time it had (newsdesk.memo.file_stamp).
Never kept: an article whose making logged a warning or an error, so that every build reports
it again, and a draft (one dated in the future becomes published when its day comes).
"""

import io
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from newsdesk.memo import Memo, Stamp, file_stamp
from newsdesk.pagecache import WarningCounter
from newsdesk.pelican_seams import empty_reader_cache, replace_content_cache

from .metadata import files_used, url_wrappers


class _Pickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], shared: Mapping[str, object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.names = {id(obj): name for name, obj in shared.items()}

    def persistent_id(self, obj: object) -> str | None:
        return self.names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], shared: Mapping[str, object]) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: str) -> object:
        return self.shared[pid]


class KeptArticles:
    """Takes the place of an ArticlesGenerator's own (generator-level) content cache."""

    def __init__(self, generator: Any) -> None:
        self.root = generator.path
        self.memo = Memo(generator.settings, "articles")
        self.shared = {"settings": generator.settings, "context": generator.context,
                       "reader-settings": generator.readers.settings}
        self.problems = WarningCounter()
        self.mark: dict[str, tuple[int, Stamp | None]] = {}
        self.checked: dict[str, bool] = {}
        self.stamps: dict[str, Stamp | None] = {}
        self.files: Callable[[], Iterable[str]] | None = lambda: generator.get_files(
            generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"])
        self.pelican_save = generator.save_cache
        self.readers = generator.readers

    def usable(self, path: str) -> bool:
        """Whether an article is kept for this content-relative path and nothing it was made
        from changed since (asked by the prefetch, then by Pelican: checked once). The first
        question reads the kept copies of every article file in a few queries."""
        if self.files is not None:
            if self.memo.reuse:
                self.memo.prefetch(self.files())
            self.files = None
        if path not in self.checked:
            kept = self.memo.get(path)
            self.checked[path] = kept is not None and kept[0] == file_stamp(
                os.path.join(self.root, path)) and all(
                self._stamp(dependency) == was for dependency, was in kept[1])
        return self.checked[path]

    def _stamp(self, dependency: str) -> Stamp | None:
        """A linked file's stamp, looked at once per build: photos are shared by many
        articles."""
        if dependency not in self.stamps:
            self.stamps[dependency] = file_stamp(dependency)
        return self.stamps[dependency]

    def get(self, path: str, default: Any = None) -> Any:
        """The article kept for this content-relative path, if usable."""
        if self.usable(path):
            kept = self.memo.get(path)
            self.memo.put(path, kept)
            return _Unpickler(io.BytesIO(kept[2]), self.shared).load()
        self.mark[path] = (self.problems.count, file_stamp(os.path.join(self.root, path)))
        return default

    def put(self, path: str, article: Any) -> None:
        """Keep an article Pelican has just made and checked, unless that logged a problem."""
        count, stamp = self.mark.pop(path, (None, None))
        if count != self.problems.count or stamp is None or article.status == "draft":
            return
        for wrapper in url_wrappers(vars(article).values()):
            wrapper.slug  # noqa: B018 - worked out once, and kept with the article
        buffer = io.BytesIO()
        _Pickler(buffer, self.shared).dump(article)
        used = [(p, file_stamp(p)) for p in files_used(article)]
        self.memo.put(path, (stamp, used, buffer.getvalue()))

    def save(self) -> None:
        self.pelican_save()
        self.memo.save()
        empty_reader_cache(self.readers)  # nothing in it is needed again
        self.memo.forget()
        logging.getLogger().removeHandler(self.problems)


def keep_articles(generator: Any) -> None:
    """Give an ArticlesGenerator the kept articles as its content cache (CACHE_CONTENT)."""
    if not generator.settings.get("CACHE_CONTENT"):
        return
    kept = generator.kept_articles = KeptArticles(generator)
    logging.getLogger().addHandler(kept.problems)
    replace_content_cache(generator, kept.get, kept.put, kept.save)

"""Build-speed benchmark: this site against plain Pelican, Pelican with i18n_subsites and Hugo.

    python -m newsdesk.bench [--articles 2000 [20000 …]] [--runs 3] [--peer-timeout 3600]

For each size it makes the corpus (../shared/bench/make_corpus.py), fills the translation
memory so no provider is asked, and measures, as the median of --runs runs, with peak memory
(the most the build's processes held at once, each figure its own build's: see `timed`):

- ours, cold: empty output folder and empty caches, except processed photos (made once per
  photo, ever; the first build's time, photos included, is printed too);
- ours, no change: the same build again;
- ours, first edit: the first rebuild after the cold build, after appending a sentence to one
  article; it has no spare folder yet (newsdesk.pagecache), so it links every page it keeps;
- ours, one edit: the same, in a newsroom's steady state: each rebuild reuses the folder of
  the build before last;
- ours, new article: the breaking story, in the same steady state: a new article, written in
  Cyrillic in a `.sr.md` file and dated as Serbians write dates, its English translation
  filled in the memory beforehand, untimed, as the provider would (no network); the bench's
  new articles are removed from the corpus when it ends;
- plain Pelican 4.12, no plugins, default theme, both languages (translations by slug);
- Pelican with i18n_subsites (the English edition as a subsite);
- Hugo (when `hugo` is installed) on the `--flavor hugo` copy, two languages.

A peer still running after --peer-timeout seconds is stopped, with every process of its group,
and is not run again at that size; the table says it did not finish, and the ratios that need
its time give the bound they can, or none.

With --check it measures the site check instead (newsdesk.check): in full (--all) on the
cold build, then incrementally after the one-article edit, with each part's time.

Our cold build and the peers are measured in rounds (ours, plain, i18n_subsites, Hugo; then
again), so that a machine whose speed drifts during the run slows each of them alike. It prints
a table, then the targets, each with its figures and whether it is met: one edit and a new
article within TARGET_SECONDS at the sizes named there, no change within NO_CHANGE_SECONDS,
peak memory within PEAK_MIB, a cold build no slower than Pelican with i18n_subsites (stretch:
than plain Pelican) and, over several sizes, the time per article of a cold build at the
largest within PER_ARTICLE_GROWTH × that at the smallest. Sizes above LARGE articles are
measured once per build (each takes minutes).
"""

import argparse
import datetime as dt
import importlib.util
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from newsdesk.sources import SourceArticle

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "benchdata"
CORPUS_SCRIPT = Path(os.environ.get("NEWSDESK_CORPUS_SCRIPT",
                                    ROOT.parent / "shared" / "bench" / "make_corpus.py"))
EDITED = "articles/vest-000007.sr.md"
NEW_KEY = "hitna-vest"  # the bench's new articles: articles/hitna-vest-N.sr.md
LARGE = 5000
PEER_TIMEOUT = 3600  # seconds
POLL = 0.25  # seconds between two looks at a build's memory, at least
STOP_GRACE = 5  # seconds a stopped peer has to end on SIGTERM before SIGKILL
# The targets: seconds for one edit or a new article, by size; the rest at every size.
TARGET_SECONDS = {20_000: 3.0, 100_000: 8.0}
NO_CHANGE_SECONDS = 0.5
PEAK_MIB = 2048
PER_ARTICLE_GROWTH = 1.25

NEW_ARTICLE = """\
Title: Влада усвојила хитне мере после поплава у западној Србији
Date: {date}
Author: Милица Јовановић, Ђорђе Петровић
Category: политика
Tags: Србија, ЕУ
Summary: Влада је на ванредној седници усвојила пакет помоћи за општине које је погодила \
поплава, а Европска унија најавила је додатна средства.
Image: {{static}}/images/photo-001.jpg
Caption: Поплављене улице у Крупњу у уторак ујутру.
Credit: Tanjug/ZORAN ŽESTIĆ

Влада Србије усвојила је вечерас на ванредној седници пакет хитних мера за {number}. \
општину коју је погодила поплава. Премијерка је рекла да ће прва помоћ стићи већ сутра.

„Ниједна породица неће остати без крова над главом“, изјавила је после седнице и додала да \
су војска и полиција на терену од раних јутарњих сати.

![Спасиоци у Љубовији.]({{static}}/images/photo-002.jpg "Спасиоци у Љубовији.")

Делегација Европске уније у Београду саопштила је да ће ЕУ из фонда солидарности издвојити \
додатна средства. Министарство финансија процењује штету на више од 30 милиона евра.

Републички хидрометеоролошки завод упозорио је да се нове падавине очекују до петка.
"""


class CopyProvider:
    """Answers every request with its own text: a memory full of (unreviewed) entries."""

    name = "bench"
    available = True
    disabled_reason = None
    chars_sent = requests = failures = 0

    def translate(self, text: str, source: str, target: str) -> str:
        return text


class Sample(NamedTuple):
    seconds: float
    peak: float  # MiB
    log: str
    finished: bool = True  # False: stopped after `seconds`


class Result(NamedTuple):
    """A build's figures over its runs: median seconds (the time limit for one that did not
    finish) and the largest peak in MiB."""

    seconds: float
    peak: float
    finished: bool = True


# Runs a command and writes to the file named first the largest resident set (KiB) it or a
# process it waited for reached, as the kernel counts it. A process takes the size of the one
# that started it as its first peak: this one is small, the bench may not be.
LAUNCHER = ("import os, sys\n"
            "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
            "_, status, usage = os.wait4(pid, 0)\n"
            "with open(sys.argv[1], 'w') as peak:\n"
            "    peak.write(str(usage.ru_maxrss))\n"
            "sys.exit(os.waitstatus_to_exitcode(status) and 1)\n")


def timed(args: Sequence[str | Path], cwd: Path = ROOT, env: Mapping[str, str] | None = None,
          limit: float | None = None) -> Sample:
    """Run a command in a process group of its own; return its Sample or raise with its output.

    Its peak memory is the larger of the most its processes held together, looked at every
    POLL seconds at least (proportional set sizes: pages a forked worker shares with its parent
    counted once), and the largest resident set any one of them reached (exact, from the
    kernel, through LAUNCHER). A command still running after `limit` seconds is stopped, with
    its whole group: the Sample says it did not finish. The disk is flushed first, untimed, so
    that writing back the last build's gigabytes (and the removal of its output) does not run
    during this one.
    """
    os.sync()
    with tempfile.TemporaryDirectory() as temporary:
        log_path, largest_path = Path(temporary, "log"), Path(temporary, "largest")
        with log_path.open("wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", LAUNCHER, largest_path, *args], cwd=cwd,
                env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        ended: list[float] = []
        done = threading.Event()

        def wait() -> None:  # times the end at once, whenever memory is being looked at
            process.wait()
            ended.append(time.perf_counter())
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        deadline = started + limit if limit else math.inf
        held = 0  # KiB
        try:
            while not done.is_set() and time.perf_counter() < deadline:
                looked = time.perf_counter()
                held = max(held, descendants_memory(process.pid))
                pause = max(POLL, 20 * (time.perf_counter() - looked))  # 5% of a core at most
                done.wait(min(pause, max(0.0, deadline - time.perf_counter())))
        finally:  # also when the bench is interrupted: the group has no terminal to hear it
            finished = done.is_set()
            if not finished:
                stop(process.pid, done)
        output = log_path.read_text(encoding="utf-8", errors="replace")
        largest = int(largest_path.read_text() or 0) if largest_path.exists() else 0
    if finished and process.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{output[-3000:]}")
    return Sample(ended[0] - started, max(held, largest) / 1024, output, finished)


def stop(group: int, done: threading.Event) -> None:
    """End every process of a group: SIGTERM, then SIGKILL after STOP_GRACE seconds (to what
    is left of it, its leader ended or not); return once its leader has ended."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:  # every process of it has ended
            break
        done.wait(STOP_GRACE)
    done.wait()


def descendants_memory(root: int) -> int:
    """The proportional set size, in KiB, of the descendants of a process (0 where /proc does
    not tell)."""
    children: defaultdict[int, list[int]] = defaultdict(list)
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return 0
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
        children[parent].append(int(name))
    total, todo = 0, list(children[root])
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        total += _pss(pid)
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def in_child(work: Callable[[], object]) -> None:
    """Run `work` in a forked process: what it held is not the bench's for the rest of the run
    (the corpus's articles, to fill their memory)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]):
        raise RuntimeError(f"{work.__name__} failed")


class Bench:
    def __init__(self, articles: int, runs: int, workdir: Path | str,
                 peer_timeout: float = PEER_TIMEOUT) -> None:
        self.articles = articles
        self.runs = runs
        self.peer_timeout = peer_timeout
        self.work = Path(workdir) / str(articles)
        self.corpus = self.work / "corpus"
        self.hugo = self.work / "hugo"
        self.samples: defaultdict[str, list[Sample]] = defaultdict(list)

    # -- inputs ------------------------------------------------------------------------------

    def prepare(self) -> None:
        filled = self.work / "memory-filled"  # the fill ended: a killed one is done again
        if not (self.corpus / "articles").is_dir():
            print(f"making a corpus of {self.articles} articles …", flush=True)
            filled.unlink(missing_ok=True)
            shutil.rmtree(self.corpus, ignore_errors=True)
            subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--articles", str(self.articles),
                            "--out", str(self.corpus)], check=True)
        if shutil.which("hugo") and not (self.hugo / "content").is_dir():
            subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--articles", str(self.articles),
                            "--flavor", "hugo", "--out", str(self.hugo)], check=True)
            shutil.copytree(DATA / "hugo", self.hugo, dirs_exist_ok=True)
        self.remove_new_articles()  # of a bench that was killed
        if not filled.exists():
            shutil.rmtree(self.corpus / "translations", ignore_errors=True)
            in_child(self.fill_memory)
            filled.touch()
        self.settings = self.write_settings()

    def fill_memory(self, paths: Sequence[Path] = ()) -> None:
        """Fill the memory of the articles in `paths` (all by default), as `invoke translate`
        would with a provider that answers every text with itself."""
        from pelican.settings import read_settings

        from .memory import MemoryFile
        from .sources import find_sources, read_source
        from .translate import GLOSSARY, TranslationStage, translation_sources

        settings = read_settings(str(ROOT / "pelicanconf.py"),
                                 override={"PATH": str(self.corpus)})
        if paths:
            groups: dict[str, dict[str, SourceArticle]] = {}
            for source in map(read_source, paths):
                groups.setdefault(source.key, {})[source.lang] = source
        else:
            print("filling the translation memory …", flush=True)
            groups = find_sources(self.corpus, settings["ARTICLE_PATHS"],
                                  settings["DEFAULT_LANG"])
        stage = TranslationStage(settings, self.corpus, provider=CopyProvider())
        if paths:  # the build names sections and tags from the whole corpus's human
            # translations, which these few do not show: their guesses are not kept
            stage.glossaries = {target: MemoryFile(stage.root, GLOSSARY, target, "sr-Latn",
                                                   refused="not kept")
                                for target in stage.targets}
        stage.run({key: translation_sources(versions) for key, versions in groups.items()},
                  show_progress=not paths)

    def add_article(self, number: int) -> None:
        """Write the new article `number`, dated now, and fill its memory."""
        now = dt.datetime.now(ZoneInfo("Europe/Belgrade"))
        path = self.corpus / "articles" / f"{NEW_KEY}-{number}.sr.md"
        path.write_text(NEW_ARTICLE.format(
            date=f"{now.day}.{now.month}.{now.year}. {now:%H:%M}", number=number),
            encoding="utf-8")
        self.fill_memory([path])

    def remove_new_articles(self) -> None:
        for path in [*(self.corpus / "articles").glob(f"{NEW_KEY}-*.md"),
                     *(self.corpus / "translations").glob(f"*/{NEW_KEY}-*.po")]:
            path.unlink()

    def write_settings(self) -> dict[str, Path]:
        base = [f"import sys\nsys.path.insert(0, {str(ROOT)!r})"]
        ours = self.work / "ours.py"
        ours.write_text("\n".join(base + [
            "from pelicanconf import *",
            f"CACHE_PATH = {str(self.work / 'cache')!r}",
            # The corpus runs into future years; the peers build those articles too.
            "WITH_FUTURE_DATES = True", f"PATH = {str(self.corpus)!r}"]) + "\n")
        peer = ["SITENAME = 'Pregled'", "SITEURL = ''", "DEFAULT_LANG = 'sr'",
                "TIMEZONE = 'Europe/Belgrade'", "ARTICLE_PATHS = ['articles']",
                "STATIC_PATHS = ['images']", "DEFAULT_PAGINATION = 5",
                "ARTICLE_URL = ARTICLE_SAVE_AS = '{date:%Y}/{slug}/index.html'",
                "ARTICLE_LANG_URL = ARTICLE_LANG_SAVE_AS = '{lang}/{date:%Y}/{slug}/index.html'"]
        plain = self.work / "plain.py"
        plain.write_text("\n".join(peer + ["PLUGINS = []"]) + "\n")
        subsites = self.work / "subsites.py"
        subsites.write_text("\n".join(peer + [
            "PLUGINS = ['pelican.plugins.i18n_subsites']",
            "JINJA_ENVIRONMENT = {'extensions': ['jinja2.ext.i18n']}",
            "I18N_SUBSITES = {'en': {'SITENAME': 'Pregled'}}"]) + "\n")
        return {"ours": ours, "plain": plain, "subsites": subsites}

    # -- builds ------------------------------------------------------------------------------

    def ours(self, output: Path) -> Sample:
        return timed([sys.executable, "-m", "newsdesk.build", "--content", str(self.corpus),
                      "--output", str(output), "--settings", str(self.settings["ours"])],
                     env={"MT_PROVIDER": "none"})

    def pelican(self, name: str, output: Path) -> Sample:
        shutil.rmtree(output, ignore_errors=True)
        return timed([sys.executable, "-m", "pelican", str(self.corpus), "-s",
                      str(self.settings[name]), "-o", str(output), "-q"],
                     limit=self.peer_timeout)

    def hugo_build(self, output: Path) -> Sample:
        shutil.rmtree(output, ignore_errors=True)
        return timed(["hugo", "--quiet", "--source", str(self.hugo), "--destination",
                      str(output)], limit=self.peer_timeout)

    def clear_output(self, output: Path) -> None:
        """Remove our output folder and what builds keep beside it (the spare, folders of the
        last build still being deleted), so no build deletes them while it is timed."""
        for folder in [output, *output.parent.glob(f".{output.name}.*")]:
            shutil.rmtree(folder, ignore_errors=True)

    def clear_caches(self, keep_images: bool = True) -> None:
        cache = self.work / "cache"
        if cache.is_dir():
            for child in cache.iterdir():
                if not (keep_images and child.name == "images"):
                    shutil.rmtree(child) if child.is_dir() else child.unlink()

    def measure(self, name: str, build: Callable[[int], Sample], run: int) -> None:
        """Run one build and keep its Sample among those of `name`; a build that did not finish
        is not run again."""
        if any(not sample.finished for sample in self.samples[name]):
            return
        sample = build(run)
        self.samples[name].append(sample)
        logs = self.work / "logs"  # what each build printed, to see where its time went
        logs.mkdir(exist_ok=True)
        (logs / f"{name.replace(', ', '-').replace(' ', '-')}-{run + 1}.log").write_text(
            sample.log, encoding="utf-8")
        took = f"{sample.seconds:.1f} s" if sample.finished else \
            f"did not finish in {self.peer_timeout:.0f} s"
        print(f"  {name} run {run + 1}: {took}, {sample.peak:.0f} MiB", flush=True)

    def peers(self, out: Path) -> dict[str, Callable[[int], Sample]]:
        """{name: build} of the peers installed here."""
        peers = {"Pelican, plain": lambda _: self.pelican("plain", out / "plain")}
        if importlib.util.find_spec("pelican.plugins.i18n_subsites"):
            peers["Pelican, i18n_subsites"] = lambda _: self.pelican("subsites", out / "sub")
        else:
            print("  i18n_subsites not installed: pip install -e '.[bench]'")
        if shutil.which("hugo"):
            peers["Hugo"] = lambda _: self.hugo_build(out / "hugo")
        else:
            print("  Hugo not installed: apt-get install hugo")
        return peers

    def run(self) -> dict[str, Result]:
        """{build: Result}, in the order of the table."""
        self.prepare()
        out = self.work / "out"
        edited = self.corpus / EDITED
        original = edited.read_text(encoding="utf-8")
        peers = self.peers(out)

        def cold(_: int) -> Sample:
            self.clear_output(out / "ours")
            self.clear_caches()
            return self.ours(out / "ours")

        def edit(run: int | str) -> Sample:
            edited.write_text(original + f"\nIzmena broj {run}.\n", encoding="utf-8")
            return self.ours(out / "ours")

        def new_article(run: int) -> Sample:
            self.add_article(run + 1)
            return self.ours(out / "ours")

        try:
            self.clear_caches(keep_images=False)
            self.clear_output(out / "ours")
            self.measure("ours, first build with photos", lambda _: self.ours(out / "ours"), 0)
            for run in range(self.runs):
                self.measure("ours, cold", cold, run)
                for name, build in peers.items():
                    self.measure(name, build, run)
            # The last cold build is the one these start from.
            for run in range(self.runs):
                self.measure("ours, no change", lambda _: self.ours(out / "ours"), run)
            self.measure("ours, first edit", lambda _: edit("first"), 0)
            for run in range(self.runs):
                self.measure("ours, one edit", edit, run)
            for run in range(self.runs):
                self.measure("ours, new article", new_article, run)
        finally:
            edited.write_text(original, encoding="utf-8")
            self.remove_new_articles()
        order = ["ours, first build with photos", "ours, cold", "ours, no change",
                 "ours, first edit", "ours, one edit", "ours, new article", *peers]
        return {name: self.result(self.samples[name]) for name in order}

    def result(self, samples: Sequence[Sample]) -> Result:
        peak = max(sample.peak for sample in samples)
        if all(sample.finished for sample in samples):
            return Result(statistics.median(sample.seconds for sample in samples), peak)
        return Result(self.peer_timeout, peak, finished=False)

    def check_run(self) -> dict[str, Sample]:
        """{check: Sample} of the site check, in full on the cold build, then after one edit."""
        self.prepare()
        output = self.work / "out" / "ours"
        edited = self.corpus / EDITED
        original = edited.read_text(encoding="utf-8")
        results = {}
        try:
            self.measure("build", lambda _: self.ours(output), 0)
            results["full check (--all)"] = self.check(output, "--all")
            edited.write_text(original + "\nIzmena za proveru.\n", encoding="utf-8")
            self.measure("build after one edit", lambda _: self.ours(output), 0)
            results["one-edit check"] = self.check(output)
        finally:
            edited.write_text(original, encoding="utf-8")
        return results

    def check(self, output: Path, *flags: str) -> Sample:
        sample = timed([sys.executable, "-m", "newsdesk.check", "--output", str(output),
                        "--settings", str(self.settings["ours"]), *flags])
        print(f"  {' '.join(sample.log.splitlines()[-2:])}", flush=True)
        return sample


def check_report(size: int, results: Mapping[str, Sample]) -> None:
    print(f"\n{size} articles: the site check\n")
    print("| check | wall s | peak MiB | what it checked | parts (s) |\n|---|---:|---:|---|---|")
    for name, sample in results.items():
        summary, times = sample.log.splitlines()[-2:]
        checked = summary.split(": ", 1)[-1].rsplit(":", 1)[0]
        print(f"| {name} | {sample.seconds:.1f} | {sample.peak:.0f} | {checked} | "
              f"{times.removeprefix('times: ')} |")


class Ratio(NamedTuple):
    """a / b of two builds' times, or the bound on it that a build that did not finish leaves:
    `relation` is "=", "<" (b did not finish), ">" (a did not finish) or "?" (neither did)."""

    relation: str
    value: float

    @classmethod
    def of(cls, a: Result, b: Result) -> "Ratio":
        relation = {(True, True): "=", (True, False): "<", (False, True): ">",
                    (False, False): "?"}[a.finished, b.finished]
        return cls(relation, a.seconds / b.seconds)

    def __str__(self) -> str:
        if self.relation == "?":
            return "unknown"
        return f"{'' if self.relation == '=' else self.relation + ' '}{self.value:.2f}"

    def at_most(self, limit: float) -> bool | None:
        """Whether the ratio is at most `limit`; None when the bound does not tell."""
        if self.relation == "=" or (self.relation == "<" and self.value <= limit) or (
                self.relation == ">" and self.value > limit):
            return self.value <= limit
        return None


def verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "not known"}[met]


def report(size: int, results: Mapping[str, Result]) -> None:
    cold = results["ours, cold"]
    print(f"\n{size} articles (Serbian originals, 70% with a human English translation)\n")
    print("| build | wall s | peak MiB | × ours cold |\n|---|---:|---:|---:|")
    for name, result in results.items():
        took = f"{result.seconds:.1f}" if result.finished else \
            f"did not finish in {result.seconds:.0f} s"
        print(f"| {name} | {took} | {result.peak:.0f} | {Ratio.of(result, cold)} |")
    unfinished = [f"{name} did not finish in {result.seconds:.0f} s"
                  for name, result in results.items() if not result.finished]
    if unfinished:
        print(f"\n{'; '.join(unfinished)}: the ratios that need its time are bounds (< or >)")
    plain = results["Pelican, plain"]
    if "Hugo" in results:
        print(f"\nplain Pelican / Hugo: {Ratio.of(plain, results['Hugo'])}")
    if "Pelican, i18n_subsites" in results:
        print(f"i18n_subsites / plain Pelican: "
              f"{Ratio.of(results['Pelican, i18n_subsites'], plain)}")
    print("\ntargets:")
    for peer, label in (("Pelican, i18n_subsites", "Pelican with i18n_subsites"),
                        ("Pelican, plain", "plain Pelican (stretch)")):
        if peer in results:
            ratio = Ratio.of(cold, results[peer])
            print(f"cold ≤ 1.0 × {label}: {ratio} ({cold.seconds:.1f} s against "
                  f"{results[peer].seconds:.1f} s{'' if results[peer].finished else ', stopped'})"
                  f" — {verdict(ratio.at_most(1.0))}")
        else:
            print(f"cold ≤ 1.0 × {label}: not measured ({peer} is not installed)")
    unchanged = results["ours, no change"].seconds
    print(f"no change ≤ {NO_CHANGE_SECONDS} s: {unchanged:.2f} s — "
          f"{verdict(unchanged <= NO_CHANGE_SECONDS)}")
    for name in ("ours, one edit", "ours, new article"):
        seconds, what = results[name].seconds, name.removeprefix("ours, ")
        if size in TARGET_SECONDS:
            print(f"{what} ≤ {TARGET_SECONDS[size]:.0f} s: {seconds:.1f} s — "
                  f"{verdict(seconds <= TARGET_SECONDS[size])}")
        else:
            stated = " and ".join(f"≤ {limit:.0f} s at {at}" for at, limit in
                                  TARGET_SECONDS.items())
            print(f"{what}: {seconds:.1f} s (targets: {stated} articles)")
    ours = {name: result.peak for name, result in results.items() if name.startswith("ours")}
    largest = max(ours, key=ours.__getitem__)
    print(f"peak memory ≤ {PEAK_MIB} MiB (cold and rebuilds): {ours[largest]:.0f} MiB "
          f"({largest.removeprefix('ours, ')}) — {verdict(ours[largest] <= PEAK_MIB)}")


def scaling_report(all_results: Mapping[int, Mapping[str, Result]]) -> None:
    """The time per article of a cold build at the largest size against the smallest."""
    small, large = min(all_results), max(all_results)
    per = {size: all_results[size]["ours, cold"].seconds / size for size in (small, large)}
    growth = per[large] / per[small]
    print(f"\ncold build per article at {large} ≤ {PER_ARTICLE_GROWTH} × at {small}: "
          f"{growth:.2f} ({per[large] * 1000:.1f} ms against {per[small] * 1000:.1f} ms) — "
          f"{verdict(growth <= PER_ARTICLE_GROWTH)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench")
    parser.add_argument("--peer-timeout", type=float, default=PEER_TIMEOUT,
                        help=f"seconds after which a peer's build is stopped ({PEER_TIMEOUT})")
    parser.add_argument("--check", action="store_true",
                        help="time the site check (full, and after one edit) instead")
    args = parser.parse_args(argv)
    if not CORPUS_SCRIPT.is_file():
        print(f"error: {CORPUS_SCRIPT}: corpus generator not found", file=sys.stderr)
        return 2
    if args.check:
        for size in args.articles:
            print(f"== {size} articles", flush=True)
            check_report(size, Bench(size, 1, args.workdir).check_run())
        return 0
    all_results = {}
    for size in args.articles:
        print(f"== {size} articles", flush=True)
        runs = 1 if size > LARGE else args.runs
        all_results[size] = Bench(size, runs, args.workdir, args.peer_timeout).run()
        report(size, all_results[size])
    if len(all_results) > 1:
        scaling_report(all_results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build-speed benchmark: this site against plain Pelican, Pelican with i18n_subsites and Hugo.

    python -m newsdesk.bench [--articles 2000 [20000 …]] [--runs 3]

For each size it makes the corpus (../shared/bench/make_corpus.py), fills the translation
memory so no provider is asked, and measures, as the median of --runs runs, with peak memory
(the largest resident set of the build process and its children):

- ours, cold: empty output folder and empty caches, except processed photos (made once per
  photo, ever; the first build's time, photos included, is printed too);
- ours, no change: the same build again;
- ours, first edit: the first rebuild after the cold build, after appending a sentence to one
  article; it has no spare folder yet (newsdesk.pagecache), so it links every page it keeps;
- ours, one edit: the same, in a newsroom's steady state: each rebuild reuses the folder of
  the build before last;
- plain Pelican 4.12, no plugins, default theme, both languages (translations by slug);
- Pelican with i18n_subsites (the English edition as a subsite);
- Hugo (when `hugo` is installed) on the `--flavor hugo` copy, two languages.

With --check it measures the site check instead (newsdesk.check): in full (--all) on the
cold build, then incrementally after the one-article edit, with each part's time.

Our cold build and the peers are measured in rounds (ours, plain, i18n_subsites, Hugo; then
again), so that a machine whose speed drifts during the run slows each of them alike. It prints
a table, the ratios the speed targets are stated in, and which are met. Sizes above LARGE
articles are measured once per build (each takes minutes).
"""

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "benchdata"
CORPUS_SCRIPT = Path(os.environ.get("NEWSDESK_CORPUS_SCRIPT",
                                    ROOT.parent / "shared" / "bench" / "make_corpus.py"))
EDITED = "articles/vest-000007.sr.md"
LARGE = 5000


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


def timed(args: Sequence[str | Path], cwd: Path = ROOT, env: Mapping[str, str] | None = None
          ) -> Sample:
    """Run a command; return its Sample (seconds, peak RSS in MiB, output) or raise with its
    output.

    The disk is flushed first, untimed, so that writing back the last build's gigabytes (and
    the removal of its output) does not run during this one.
    """
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None  # a pipe, as asked
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{output.decode()[-3000:]}")
    return Sample(elapsed, usage.ru_maxrss / 1024, output.decode())


class Bench:
    def __init__(self, articles: int, runs: int, workdir: Path | str) -> None:
        self.articles = articles
        self.runs = runs
        self.work = Path(workdir) / str(articles)
        self.corpus = self.work / "corpus"
        self.hugo = self.work / "hugo"
        self.samples: defaultdict[str, list[Sample]] = defaultdict(list)

    # -- inputs ------------------------------------------------------------------------------

    def prepare(self) -> None:
        if not (self.corpus / "articles").is_dir():
            print(f"making a corpus of {self.articles} articles …", flush=True)
            shutil.rmtree(self.corpus, ignore_errors=True)
            subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--articles", str(self.articles),
                            "--out", str(self.corpus)], check=True)
        if shutil.which("hugo") and not (self.hugo / "content").is_dir():
            subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--articles", str(self.articles),
                            "--flavor", "hugo", "--out", str(self.hugo)], check=True)
            shutil.copytree(DATA / "hugo", self.hugo, dirs_exist_ok=True)
        if not (self.corpus / "translations").is_dir():
            self.fill_memory()
        self.settings = self.write_settings()

    def fill_memory(self) -> None:
        from pelican.settings import read_settings

        from .sources import find_sources
        from .translate import TranslationStage

        print("filling the translation memory …", flush=True)
        settings = read_settings(str(ROOT / "pelicanconf.py"),
                                 override={"PATH": str(self.corpus)})
        stage = TranslationStage(settings, self.corpus, provider=CopyProvider())
        groups = find_sources(self.corpus, settings["ARTICLE_PATHS"], settings["DEFAULT_LANG"])
        stage.run(groups, show_progress=True)

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
                      str(self.settings[name]), "-o", str(output), "-q"])

    def hugo_build(self, output: Path) -> Sample:
        shutil.rmtree(output, ignore_errors=True)
        return timed(["hugo", "--quiet", "--source", str(self.hugo), "--destination",
                      str(output)])

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
        """Run one build and keep its (seconds, peak MiB) among the samples of `name`."""
        sample = build(run)
        self.samples[name].append(sample)
        print(f"  {name} run {run + 1}: {sample[0]:.1f} s, {sample[1]:.0f} MiB", flush=True)

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

    def run(self) -> dict[str, tuple[float, float]]:
        """{build: (median seconds, largest peak MiB)}, in the order of the table."""
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
        finally:
            edited.write_text(original, encoding="utf-8")
        order = ["ours, first build with photos", "ours, cold", "ours, no change",
                 "ours, first edit", "ours, one edit", *peers]
        return {name: (statistics.median(s[0] for s in self.samples[name]),
                       max(s[1] for s in self.samples[name])) for name in order}


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


def report(size: int, results: Mapping[str, tuple[float, float]]) -> None:
    cold = results["ours, cold"][0]
    print(f"\n{size} articles (Serbian originals, 70% with a human English translation)\n")
    print("| build | wall s | peak MiB | × ours cold |\n|---|---:|---:|---:|")
    for name, (seconds, peak) in results.items():
        print(f"| {name} | {seconds:.1f} | {peak:.0f} | {seconds / cold:.2f} |")
    plain = results["Pelican, plain"][0]
    subsites = results.get("Pelican, i18n_subsites", (None,))[0]
    targets = [("cold ≤ 0.5 × i18n_subsites", cold / subsites, 0.5)] if subsites else []
    targets += [
        ("cold ≤ 1.0 × plain Pelican", cold / plain, 1.0),
        ("no change ≤ 0.2 × cold", results["ours, no change"][0] / cold, 0.2),
        ("one edit ≤ 0.1 × cold", results["ours, one edit"][0] / cold, 0.1),
    ]
    if "Hugo" in results:
        print(f"\nplain Pelican / Hugo: {plain / results['Hugo'][0]:.1f}")
    if subsites:
        print(f"i18n_subsites / plain Pelican: {subsites / plain:.2f}")
    print()
    for label, ratio, limit in targets:
        print(f"{label}: {ratio:.2f} — {'met' if ratio <= limit else 'NOT met'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench")
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
        all_results[size] = Bench(size, runs, args.workdir).run()
        report(size, all_results[size])
    if len(all_results) > 1:
        small, large = min(all_results), max(all_results)
        per = {size: all_results[size]["ours, cold"][0] / size for size in (small, large)}
        peak = all_results[large]["ours, cold"][1]
        print(f"\nper article: {per[small] * 1000:.1f} ms at {small}, {per[large] * 1000:.1f} ms "
              f"at {large}: {per[large] / per[small]:.2f} × (target ≤ 1.25: "
              f"{'met' if per[large] / per[small] <= 1.25 else 'NOT met'}); peak memory at "
              f"{large}: {peak:.0f} MiB (target ≤ 2048: {'met' if peak <= 2048 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

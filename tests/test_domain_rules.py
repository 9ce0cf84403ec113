"""Rules several steps share, each kept in one place: written whole, worker counts, content
types."""

import os

import pytest

from newsdesk.atomic import remove_orphans, write_atomic
from newsdesk.fields import content_type
from newsdesk.parallel import cores, worker_count
from newsdesk.transliterate import to_latin


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = tmp_path / "stanje.json"
    write_atomic(path, b'{"izdanje": "sr-Latn"}')

    def half_then_fail(fp):
        fp.write(b'{"izdanje": "sr-Cy')
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomic(path, half_then_fail)
    assert path.read_bytes() == b'{"izdanje": "sr-Latn"}'
    assert [p.name for p in tmp_path.iterdir()] == ["stanje.json"]


def test_only_the_temporary_files_of_finished_processes_are_removed(tmp_path):
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    killed = tmp_path / f".članci.pickle.{dead}.0.tmp"
    live = tmp_path / f".članci.pickle.{os.getpid()}.3.tmp"
    for path in (killed, live):
        path.write_bytes(b"pola")
    remove_orphans(tmp_path)
    assert not killed.exists() and live.exists()


@pytest.mark.parametrize("name", ["READ_WORKERS", "WRITE_WORKERS", "IMAGE_WORKERS"])
def test_a_worker_count_a_site_sets_is_taken_as_set(name):
    """Every step alike: a number the site sets, even above the cores (images were capped)."""
    assert worker_count({name: cores() + 3}, name, default=2) == cores() + 3


def test_a_default_worker_count_is_never_more_than_the_cores():
    assert worker_count({}, "READ_WORKERS") == cores()
    assert worker_count({"READ_WORKERS": 0}, "READ_WORKERS") == cores()
    assert worker_count({}, "IMAGE_WORKERS", default=2) == min(2, cores())
    assert worker_count({}, "IMAGE_WORKERS", default=cores() + 5) == cores()


@pytest.mark.parametrize("written, named, nearest", [
    ("analysis", "analysis", None), ("Press-release", "press release", None),
    ("Intervju", "interview", None), ("Интервју", "interview", None),
    ("Мишљење", "opinion", None), ("saopstenje", "press release", None),
    ("opinon", None, "opinion"), ("intervjiu", None, "interview"), ("tračevi", None, None)])
def test_a_type_is_read_as_english_or_as_the_serbian_site_labels_it(written, named, nearest):
    assert content_type(to_latin(written)) == (named, nearest)

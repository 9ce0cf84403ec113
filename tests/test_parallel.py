"""Work spread over forked processes: each item once, results and logs back, the collector."""

import gc
import logging

import pytest

from newsdesk.parallel import run_shared


def _walk(share, items):
    return [item for item in items if share.take()]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_every_item_is_done_once_by_one_process(workers):
    items = list(range(50))
    results = run_shared(lambda share: _walk(share, items), workers)
    assert len(results) == workers
    assert sorted(item for done in results for item in done) == items


def test_a_worker_s_warning_reaches_this_process(caplog):
    def job(share):
        if not share.main:
            logging.getLogger("newsdesk.test").warning("from worker %d", share.index)

    with caplog.at_level(logging.WARNING):
        run_shared(job, 2)
    assert [r.getMessage() for r in caplog.records] == ["from worker 1"]


def test_a_worker_s_failure_is_raised_here():
    def job(share):
        if not share.main:
            raise ValueError("bad page")

    with pytest.raises(RuntimeError, match="bad page"):
        run_shared(job, 2)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_collector_runs_during_the_job_and_skips_what_existed_before(workers):
    was_enabled = gc.isenabled()
    gc.disable()  # as newsdesk.build leaves it while it loads
    try:
        states = run_shared(lambda share: (gc.isenabled(), gc.get_freeze_count()), workers)
        after = gc.isenabled(), gc.get_freeze_count()
    finally:
        if was_enabled:
            gc.enable()
    assert len(states) == workers
    # in every process: collecting, with the objects made before the job frozen
    assert all(enabled and frozen > 1000 for enabled, frozen in states), states
    # and afterwards as the caller had it, nothing left frozen
    assert after == (False, 0)

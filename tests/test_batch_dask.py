"""--scheduler: the same batch on a Dask cluster (a light in-process LocalCluster here) gives the same tables."""
from __future__ import annotations

import pytest
from test_batch_support import fake_analyze, make_clip_folder

from gait.batch import run_batch
from gait.errors import UsageError

distributed = pytest.importorskip("dask.distributed")


def test_dask_localcluster_gives_the_same_summary_as_the_process_pool(tmp_path):
    clips = make_clip_folder(tmp_path)
    local = run_batch(clips, tmp_path / "local", workers=2, analyze_fn=fake_analyze, progress=False,
                      write_report=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as lc:
        rep = run_batch(clips, tmp_path / "dask", scheduler=lc.scheduler_address, analyze_fn=fake_analyze,
                        progress=False, write_report=False)
        assert (rep.ok, rep.failed) == (3, 1)
        again = run_batch(clips, tmp_path / "dask", scheduler=lc.scheduler_address, analyze_fn=fake_analyze,
                          progress=False, write_report=False)
        assert (again.ok, again.failed, again.skipped) == (0, 1, 3)  # resume works the same on Dask
    for name in ("summary.csv", "strides.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert local.failed_ids == rep.failed_ids == ["notes"]


def test_workers_and_scheduler_together_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--workers"):
        run_batch(tmp_path, tmp_path / "out", workers=2, scheduler="tcp://127.0.0.1:8786", analyze_fn=fake_analyze)

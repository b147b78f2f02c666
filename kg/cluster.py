"""Past one machine: the map step on a Dask cluster.

A document is the unit of work (:func:`kg.maptask.map_task`, as in :mod:`kg.mapstep`), so the map moves to
Dask unchanged: each document goes to a worker as one task; the worker parses
it (loading the model once, on its first task), extracts its record and sends
back only the :class:`~kg.model.DocRecord`. The reduce (entities, relations,
graph) stays in this process, so the graph is the one a local build makes.

A local cluster's workers share this machine's disk, so they read and write
the parse and record caches as local workers do; a remote cluster's workers do
not: their records are cached here, and a rule change re-parses on the cluster.

Workers need the same environment as this process: ``kg`` with its ``dask``
extra and the GiNZA model installed (``pip install 'kg[dask]'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.maptask import Setup, Task, map_task
from kg.records import RecordCache

if TYPE_CHECKING:
    from kg.model import DocRecord

#: The ``address`` that starts a cluster of worker processes on this machine.
LOCAL = "local"


class ClusterError(KgError):
    """The Dask cluster cannot be used: extra not installed or scheduler unreachable."""


def map_on_dask(tasks: Sequence[Task], setup: Setup, *, address: str,
                local_workers: int | None = None) -> Iterator[tuple[Task, DocRecord, bool]]:
    """Map ``tasks`` on the Dask scheduler at ``address`` (or ``"local"``), yielding each as it finishes.

    ``local_workers`` sizes the local cluster (default: the machine's cores);
    it is ignored for a remote scheduler, whose workers are already running.
    """
    if not tasks:
        return
    try:
        from distributed import as_completed
    except ImportError:
        raise ClusterError("--dask needs the dask extra: pip install 'kg[dask]'") from None
    remote = address != LOCAL
    worker_setup = replace(setup, cache_dir=None) if remote else setup
    with ExitStack() as stack:
        client = _client(address, stack=stack, local_workers=local_workers)
        shared = client.scatter(worker_setup, broadcast=True)
        # Largest first, so the longest document does not start last and idle a worker.
        order = sorted(tasks, key=lambda t: len(t.text), reverse=True)
        futures = {client.submit(map_task, t, shared, pure=False): t for t in order}
        for future in as_completed(futures):
            record, was_parsed = future.result()
            task = futures[future]
            if remote and setup.cache_dir is not None:
                RecordCache(setup.cache_dir).put(task.record_key, record)
            yield task, record, was_parsed


def _client(address: str, *, stack: ExitStack, local_workers: int | None) -> Any:
    from distributed import Client, LocalCluster

    if address == LOCAL:
        cluster = stack.enter_context(LocalCluster(
            n_workers=max(1, local_workers or os.cpu_count() or 1), threads_per_worker=1,
            processes=True, host="127.0.0.1", dashboard_address=None))
        return stack.enter_context(Client(cluster))
    try:
        return stack.enter_context(Client(address, timeout="10s"))
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r} ({err}); "
                           f"start one with `dask scheduler` or use --dask local") from None

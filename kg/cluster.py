"""Past one machine: the per-document parse on a Dask cluster.

A document is the unit of work (see :mod:`kg.nlp`), so the map step moves to
Dask unchanged: each document goes to a worker as one task, each worker
process loads the model once (on its first task) and sends back a plain
:class:`~kg.model.ParsedDoc`. The cache and the reduce (entities, relations,
graph) stay in this process, so the graph is the one a local build makes.

Workers need the same environment as this process: ``kg`` with its ``dask``
extra and the GiNZA model installed (``pip install 'kg[dask]'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from typing import Any

from kg.errors import KgError
from kg.model import Document, ParsedDoc
from kg.nlp import parse_in_worker

#: The ``address`` that starts a cluster of worker processes on this machine.
LOCAL = "local"


class ClusterError(KgError):
    """The Dask cluster cannot be used: extra not installed or scheduler unreachable."""


def parse_on_dask(docs: Sequence[Document], *, address: str, model: str,
                  local_workers: int | None = None) -> Iterator[tuple[Document, ParsedDoc]]:
    """Parse ``docs`` on the Dask scheduler at ``address`` (or ``"local"``), as they finish.

    ``local_workers`` sizes the local cluster (default: the machine's cores);
    it is ignored for a remote scheduler, whose workers are already running.
    """
    if not docs:
        return
    try:
        from distributed import as_completed
    except ImportError:
        raise ClusterError("--dask needs the dask extra: pip install 'kg[dask]'") from None
    with ExitStack() as stack:
        client = _client(address, stack=stack, local_workers=local_workers)
        # Largest first, so the longest document does not start last and idle a worker.
        order = sorted(docs, key=lambda d: len(d.text), reverse=True)
        futures = {client.submit(parse_in_worker, d.text, d.id, model, pure=False): d for d in order}
        for future in as_completed(futures):
            yield futures[future], future.result()


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

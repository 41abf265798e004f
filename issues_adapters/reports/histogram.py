"""Durations kept as counts in fixed, logarithmic buckets, so that percentiles stay correct
over any period: the buckets of many days add up, and a percentile is read off their sum.

Bucket i holds durations in (GAMMA**(i-1), GAMMA**i] seconds (bucket 0: up to one second).
A percentile is reported as its bucket's value 2·GAMMA**i/(GAMMA+1), within
(GAMMA-1)/(GAMMA+1) ≈ 4.8 % of the true nearest-rank percentile (DDSketch's guarantee, with
the buckets stored as rows instead of in a sketch object).
"""

import math
from collections.abc import Iterable

GAMMA = 1.1
_LOG_GAMMA = math.log(GAMMA)
RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1)


def bucket(seconds: float) -> int:
    if seconds <= 1:
        return 0
    return math.ceil(math.log(seconds) / _LOG_GAMMA - 1e-9)


def value(index: int) -> float:
    """The seconds a bucket stands for."""
    if index <= 0:
        return 0.0
    return 2 * GAMMA**index / (GAMMA + 1)


def percentile(counts: Iterable[tuple[int, int]], q: float) -> float | None:
    """The nearest-rank q-th percentile (0 < q <= 1) of (bucket, count) pairs; None if empty."""
    (index,) = percentile_buckets(counts, (q,))
    return None if index is None else value(index)


def percentile_buckets(counts: Iterable[tuple[int, int]], qs: tuple[float, ...]) -> list:
    """The buckets of the nearest-rank percentiles qs (0 < q <= 1); Nones if empty."""
    ordered = sorted((index, count) for index, count in counts if count > 0)
    total = sum(count for _, count in ordered)
    if not total:
        return [None] * len(qs)
    found = []
    for q in qs:
        rank = max(1, math.ceil(q * total))
        seen = 0
        for index, count in ordered:
            seen += count
            if seen >= rank:
                found.append(index)
                break
    return found

"""The timing rule of the PyTorch twins, the same as bench/harness.h's: `warmup` untimed calls,
then the median of `reps` timed ones."""
import statistics
import time


def median_seconds(fn, reps, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)

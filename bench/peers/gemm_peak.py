#!/usr/bin/env python3
"""The fastest fp32 2048 x 2048 product PyTorch gets on this machine: torch.mm on float32, best of the repetitions.

With Debian's python3-torch it runs on OpenBLAS; --blas-core picks OpenBLAS's kernel (SkylakeX on AVX-512 CPUs,
which OpenBLAS does not always recognise in a VM). bench/run-peers.sh takes the machine's bound from the fastest of
this and our own process's products (CrnnGan.Bench gemm)."""
import argparse
import json
import os
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
parser.add_argument("--blas-threads", type=int, help="OPENBLAS_NUM_THREADS (default: as in the environment)")
parser.add_argument("--blas-core", help="OPENBLAS_CORETYPE, e.g. SkylakeX (default: as in the environment)")
parser.add_argument("--size", type=int, default=2048, help="the matrices' side (default 2048)")
parser.add_argument("--repetitions", type=int, default=10, help="timed products after 3 warm-ups (default 10)")
parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
args = parser.parse_args()
if args.blas_threads is not None:
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)  # read when torch loads OpenBLAS
if args.blas_core is not None:
    os.environ["OPENBLAS_CORETYPE"] = args.blas_core

import torch  # noqa: E402  (after the environment above)

torch.set_num_threads(args.threads)
n = args.size
a, b = torch.randn(n, n), torch.randn(n, n)
for _ in range(3):
    torch.mm(a, b)
best = float("inf")
for _ in range(args.repetitions):
    start = time.perf_counter()
    torch.mm(a, b)
    best = min(best, time.perf_counter() - start)
result = {"torch": torch.__version__, "threads": torch.get_num_threads(),
          "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
          "blas_core": os.environ.get("OPENBLAS_CORETYPE", "detected"),
          "gemm_gflops": round(2.0 * n ** 3 / best / 1e9, 1)}
if args.json:
    print(json.dumps(result))
else:
    print(f"PyTorch {result['torch']} (OpenBLAS kernel {result['blas_core']}, {result['blas_threads']} threads): "
          f"{result['gemm_gflops']} GFLOP/s for {n} x {n}")

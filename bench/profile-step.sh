#!/usr/bin/env bash
# Where an adversarial iteration's time goes, by library call: runs `CrnnGan.Bench step-trace ITERATIONS THREADS`
# (the paper's size, the trainer's own step) with MKL_VERBOSE=1 and ONEDNN_VERBOSE=1, and sums the logged time of
# the measured steps per MKL GEMM shape and per oneDNN primitive. On one thread the step runs inline, so the logged
# times add up to the wall time; the rest is everything that is neither (element-wise work, allocation, autograd,
# the optimiser). Shares are what to read on a shared machine: each call's time moves with the load.
#   bench/profile-step.sh [ITERATIONS (2)] [THREADS (1)]     environment passes through (e.g. CRNNGAN_MKL_AVX512=0)
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-2} threads=${2:-1}
dotnet build bench/CrnnGan.Bench -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
MKL_VERBOSE=1 ONEDNN_VERBOSE=1 dotnet bench/CrnnGan.Bench/bin/Release/net10.0/CrnnGan.Bench.dll step-trace "$iterations" "$threads" >"$log" 2>&1
awk -v steps="$iterations" '
  function ms(text,   v) { v = text + 0
    if (text ~ /ns$/) return v / 1e6; if (text ~ /us$/) return v / 1e3; if (text ~ /ms$/) return v; if (text ~ /s$/) return v * 1e3; return v }
  /^=== measured/ { on = 1; print; next }
  /^=== end/ { wall = $3; on = 0; next }
  !on { next }
  /^MKL_VERBOSE/ {
    # MKL_VERBOSE SGEMM(TA,TB,M,N,K,...) TIME ...: column-major M x N result, inner dimension K
    split(substr($2, index($2, "(") + 1), a, ",")
    name = substr($2, 1, index($2, "(") - 1)
    key = sprintf("MKL %s %s%s m=%s n=%s k=%s", name, a[1], a[2], a[3], a[4], a[5])
    t = ms($3); flops = (a[3] ~ /^[0-9]+$/) ? 2 * a[3] * a[4] * a[5] : 0 # batched calls log pointers
    if (!flops) key = "MKL " name
    mkl += t; mklflop += flops; time[key] += t; count[key]++; flop[key] += flops; next }
  /^onednn_verbose,v1,primitive,exec/ {
    n = split($0, f, ","); t = f[n] + 0
    kind = f[6]; impl = f[7]; prop = f[8]
    if (kind == "rnn") { match($0, /direction:[a-z_0-9]*/); dir = substr($0, RSTART + 10, RLENGTH - 10)
      match($0, /l[0-9]+t[0-9]+mb[0-9]+sic[0-9]+slc[0-9]+/); shape = substr($0, RSTART, RLENGTH)
      key = sprintf("oneDNN rnn %s %s %s %s", impl, prop, dir, shape) } else key = sprintf("oneDNN %s %s", kind, impl)
    dnn += t; time[key] += t; count[key]++; next }
  END {
    if (wall == "") { print "no measured steps in the log"; exit 1 }
    printf "wall %.0f ms for %d steps (%.0f ms each)\n", wall, steps, wall / steps
    printf "%9s %6s %6s %8s  %s\n", "ms/step", "share", "calls", "GFLOP/s", "call (MKL: column-major m x n, inner k)"
    for (k in time) printf "%9.1f %5.1f%% %6d %8s  %s\n", time[k] / steps, 100 * time[k] / wall, count[k] / steps,
      (flop[k] > 0 && time[k] > 0) ? sprintf("%.1f", flop[k] / time[k] / 1e6) : "-", k | "sort -rn"
    close("sort -rn")
    printf "MKL GEMMs: %.1f%% of the wall time (%.1f GFLOP per step at %.1f GFLOP/s)\n", 100 * mkl / wall, mklflop / steps / 1e9, mklflop / mkl / 1e6
    printf "oneDNN primitives: %.1f%%\n", 100 * dnn / wall
    printf "the rest (element-wise work, allocation, autograd, optimiser, hand-off): %.1f%%\n", 100 * (wall - mkl - dnn) / wall
  }' "$log"

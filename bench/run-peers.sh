#!/usr/bin/env bash
# Our C# code next to its peers, in one run: the training step against PyTorch (bench/peers/crnngan_torch.py)
# and corpus ingest against mido (bench/peers/mido_ingest.py). Runs alternate (ours, theirs, ours, theirs) so
# drift on a shared machine hits both; each side keeps its best round.
#   bench/run-peers.sh [MIDI_FOLDER]     default ../shared/data/classical next to the main checkout
# Each side first gets its best thread setting (1 or all cores; for PyTorch both torch's and OpenBLAS's).
# The machine's bound: the fastest fp32 2048 x 2048 product measured in the same rounds, on all cores, of ours
# (libtorch's MKL in our process, `CrnnGan.Bench gemm`) and the peer's (PyTorch on OpenBLAS with its best kernel,
# bench/peers/gemm_peak.py), times the paper iteration's matmul work (188.7 GFLOP per 2000 events, from
# TrainStepBench.PaperIterationGflop): each side's adversarial events/s is reported as a share of it.
# Environment: ROUNDS (2), ITERATIONS (5), PYTHON (/usr/bin/python3), OUR_THREADS, TORCH_THREADS and BLAS_THREADS
# (skip the search), BLAS_CORE (OpenBLAS's kernel for PyTorch; default: from the CPU flags, whatever
# OPENBLAS_CORETYPE the environment holds: a shell that exports OPENBLAS_CORETYPE=Haswell would otherwise hand the
# peer a kernel half as fast as its best on an AVX-512 CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
main=$(cd "$(git rev-parse --git-common-dir 2>/dev/null || echo .git)/.." && pwd) # the main checkout, also from a worktree
folder=$(realpath -m "${1:-$main/../shared/data/classical}")
rounds=${ROUNDS:-2} iterations=${ITERATIONS:-5} py=${PYTHON:-/usr/bin/python3}

echo "building bench/CrnnGan.Bench (Release)"
dotnet build bench/CrnnGan.Bench -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
ours() { dotnet bench/CrnnGan.Bench/bin/Release/net10.0/CrnnGan.Bench.dll "$@" | sed -n 's/^RESULT //p'; }
peer() { "$py" "bench/peers/$1" "${@:2}" --json | "$py" -c 'import json, sys
print(" ".join(f"{k}={v}" for k, v in json.load(sys.stdin).items()))'; }
has() { "$py" -c "import $1" 2>/dev/null; }

# Results are "key=value ..." lines. Lower is better for times and sizes, higher for rates (*_per_s).
get() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
better() { awk -v a="$1" -v b="$2" -v high="$3" 'BEGIN { if (a == "") print b; else if (b == "") print a;
  else print ((high && b + 0 > a + 0) || (!high && b + 0 < a + 0)) ? b : a }'; }
keep() { # keep ARRAY RESULT KEY...: the best value of each key so far
  local -n best_of=$1; local k
  for k in "${@:3}"; do best_of[$k]=$(better "${best_of[$k]:-}" "$(get "$k" "$2")" "$([[ $k == *_per_s ]] && echo 1 || echo 0)"); done
}
consider() { # consider SETTING RESULT: remembers in $chosen the setting with the most adversarial events/s
  local rate; rate=$(get adversarial_events_per_s "$2")
  echo "  $1: $rate events/s"
  if [[ $(better "$best" "$rate" 1) != "$best" ]]; then best=$rate chosen=$1; fi
}
ratio() { awk -v o="$1" -v t="$2" -v high="$3" 'BEGIN { if (o == "" || t == "" || o == 0 || t == 0) print "-";
  else printf "%.2fx\n", high ? o / t : t / o }'; }
header() { printf '%-38s %12s %12s  %s\n' workload ours "$1" "ratio (>1: ours better)"; }
row() { printf '%-38s %12s %12s  %s\n' "$1" "$2" "${3:--}" "$(ratio "$2" "$3" "$4")"; }

counts=$(printf '%s\n' 1 "$(nproc)" | sort -un)
our_threads=${OUR_THREADS:-}
if [[ -z $our_threads ]]; then
  echo "ours: best thread count (one step of each kind after a warm-up)"
  best=""
  for t in $counts; do consider "threads $t" "$(ours train-step 1 "$t")"; done
  our_threads=${chosen#threads }
fi

# OpenBLAS falls back to its slowest kernel (Prescott) on CPUs it does not recognise, as in VMs that report a
# generic model: PyTorch gets the kernel its CPU's flags allow.
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
core=${BLAS_CORE:-}
if [[ -z $core && $flags == *avx512bw* && $flags == *avx512vl* && $flags == *avx512dq* ]]; then core=SkylakeX
elif [[ -z $core && $flags == *avx2* ]]; then core=Haswell; fi
torch_args=(${core:+--blas-core "$core"})
if has torch; then
  if [[ -z ${TORCH_THREADS:-} ]]; then
    echo "PyTorch: best thread setting (one adversarial iteration after a warm-up)"
    best=""
    for t in $counts; do
      for b in $counts; do
        consider "--threads $t --blas-threads $b" "$(peer crnngan_torch.py --threads "$t" --blas-threads "$b" "${torch_args[@]}" --adversarial-only --iterations 1)"
      done
    done
    read -ra setting <<<"$chosen"
  else
    setting=(--threads "$TORCH_THREADS" --blas-threads "${BLAS_THREADS:-1}")
  fi
  torch_args+=("${setting[@]}")
else
  echo "PyTorch is not installed ($py -c 'import torch' fails; apt-get install python3-torch): reporting ours alone"
fi

declare -A o p og pg
keys=(adversarial_events_per_s pretrain_events_per_s sampling_s peak_rss_mib)
all=$(nproc)
for ((i = 1; i <= rounds; i++)); do
  echo "round $i of $rounds: ours (threads $our_threads)"
  r=$(ours train-step "$iterations" "$our_threads")
  keep o "$r" "${keys[@]}"
  o[paper_gflop]=$(get paper_gflop "$r")
  keep og "$(ours gemm "$all" 4)" gemm_gflops
  if has torch; then
    echo "round $i of $rounds: PyTorch (${torch_args[*]})"
    r=$(peer crnngan_torch.py "${torch_args[@]}" --iterations "$iterations")
    keep p "$r" "${keys[@]}"
    p[version]=$(get torch "$r")
    keep pg "$(peer gemm_peak.py --threads 1 --blas-threads "$all" ${core:+--blas-core "$core"})" gemm_gflops
  fi
done

echo
echo "Training at the paper's size (batch 20 x 100 events, hidden 350, bidirectional D, feature matching); best of"
echo "$rounds alternating rounds of $iterations steps (median). Ours: TorchSharp, threads $our_threads." \
  "PyTorch: $([[ -n ${p[version]:-} ]] && echo "${p[version]} ${torch_args[*]}" || echo "not installed")."
header PyTorch
row "adversarial iteration (events/s)" "${o[adversarial_events_per_s]}" "${p[adversarial_events_per_s]:-}" 1
row "pretraining step (events/s)" "${o[pretrain_events_per_s]}" "${p[pretrain_events_per_s]:-}" 1
row "sampling 100 songs x 100 events (s)" "${o[sampling_s]}" "${p[sampling_s]:-}" 0
row "peak RSS of the train-step run (MiB)" "${o[peak_rss_mib]}" "${p[peak_rss_mib]:-}" 0

# The bound: the faster of the two products; events/s = GFLOP/s / (GFLOP per iteration) x events per iteration.
bound=$(better "${og[gemm_gflops]:-}" "${pg[gemm_gflops]:-}" 1)
echo
echo "fp32 2048 x 2048 product on $all threads, best of $rounds rounds: ours (libtorch's MKL) ${og[gemm_gflops]:-?} GFLOP/s," \
  "PyTorch ${pg[gemm_gflops]:-not measured} GFLOP/s${core:+ (OpenBLAS $core)}; the machine's bound: $bound GFLOP/s"
awk -v g="$bound" -v w="${o[paper_gflop]:-188.7}" -v ours="${o[adversarial_events_per_s]:-}" -v theirs="${p[adversarial_events_per_s]:-}" 'BEGIN {
  if (g == "" || g == 0) exit
  b = g / w * 2000
  printf "bound: %.0f events/s (%s GFLOP/s / %s GFLOP x 2000 events); adversarial iteration: ours %.0f%% of it", b, g, w, 100 * ours / b
  if (theirs != "") printf ", PyTorch %.0f%%", 100 * theirs / b
  printf "\n" }'
echo "RESULT ours_adversarial_events_per_s=${o[adversarial_events_per_s]} pytorch_adversarial_events_per_s=${p[adversarial_events_per_s]:-} ours_gemm_gflops=${og[gemm_gflops]:-} pytorch_gemm_gflops=${pg[gemm_gflops]:-} bound_gflops=$bound paper_gflop=${o[paper_gflop]:-}"

echo
if [[ ! -d $folder ]]; then
  echo "ingest: no folder $folder; skipped"
  exit 0
fi
has mido || echo "mido is not installed ($py -c 'import mido' fails; apt-get install python3-mido): reporting ours alone"
declare -A oi pi
for ((i = 1; i <= rounds; i++)); do
  echo "ingest round $i of $rounds"
  oi[info]=$(ours ingest "$folder")
  keep oi "${oi[info]}" seconds cpu_seconds
  if has mido; then
    pi[info]=$(peer mido_ingest.py "$folder")
    keep pi "${pi[info]}" seconds cpu_seconds
  fi
done
echo
echo "Ingest of $folder: read every MIDI file and encode the paper's events; best of $rounds rounds."
echo "Ours: SongLoader.LoadAll on $(get threads "${oi[info]}") threads.${pi[info]:+ mido $(get mido "${pi[info]}"), one process.}"
header mido
row "ingest wall time (s)" "${oi[seconds]}" "${pi[seconds]:-}" 0
row "ingest CPU time (s)" "${oi[cpu_seconds]}" "${pi[cpu_seconds]:-}" 0
for k in files read notes events; do
  printf '%-38s %12s %12s\n' "  $k" "$(get $k "${oi[info]}")" "$(get $k "${pi[info]:-}")"
done

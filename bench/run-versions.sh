#!/usr/bin/env bash
# This checkout's training step against an earlier version's, in one run: the bench of each, alternating
# (earlier, now, earlier, now, ...) so drift on a shared machine hits both; each side keeps its best round.
#   bench/run-versions.sh EARLIER_CHECKOUT [THREADS]
# EARLIER_CHECKOUT: e.g. `git worktree add ../first 95ebe95` (the first landed trainer). Environment: ROUNDS (3), ITERATIONS (5).
set -euo pipefail
cd "$(dirname "$0")/.."
earlier=$(realpath "$1") threads=${2:-1} rounds=${ROUNDS:-3} iterations=${ITERATIONS:-5}
dll=bench/CrnnGan.Bench/bin/Release/net10.0/CrnnGan.Bench.dll
for dir in "$earlier" .; do (cd "$dir" && dotnet build bench/CrnnGan.Bench -c Release -nologo -v q -clp:ErrorsOnly >/dev/null); done
# "adversarial iteration: median 1097 ms ..." and "pretraining step: median 137 ms ..." are printed by every version.
times() { dotnet "$1/$dll" train-step "$iterations" "$threads" | sed -n 's/^\(adversarial iteration\|pretraining step\): median \([0-9.]*\) ms.*/\2/p' | paste -sd' '; }
best_a=() best_p=()
for ((i = 1; i <= rounds; i++)); do
  for side in 0 1; do
    dir=$([[ $side == 0 ]] && echo "$earlier" || echo .)
    read -r a p <<<"$(times "$dir")"
    echo "round $i, $([[ $side == 0 ]] && echo earlier || echo now): adversarial $a ms, pretraining $p ms"
    [[ -z ${best_a[$side]:-} || $a -lt ${best_a[$side]} ]] && best_a[$side]=$a
    [[ -z ${best_p[$side]:-} || $p -lt ${best_p[$side]} ]] && best_p[$side]=$p
  done
done
echo
echo "best of $rounds rounds, $threads thread(s), batch 20 x 100 events, hidden 350 (ms; ratio > 1: now is faster)"
awk -v e="${best_a[0]}" -v n="${best_a[1]}" 'BEGIN { printf "adversarial iteration  earlier %5d  now %5d  %.2fx\n", e, n, e / n }'
awk -v e="${best_p[0]}" -v n="${best_p[1]}" 'BEGIN { printf "pretraining step       earlier %5d  now %5d  %.2fx\n", e, n, e / n }'

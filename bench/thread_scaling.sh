#!/usr/bin/env bash
# Thread scaling, and what the machine allows: one family row checked on one
# thread, on two, and as two independent one-thread runs at the same time.
#
# usage: bench/thread_scaling.sh BINDCHECK [FAMILY:N:GRANULARITY [CONFIG]]
#
# BINDCHECK    the bindcheck binary (bindcheck_family must sit next to it)
# ROW          FAMILY one of pair, pair+master2; default pair+master2:4:devres
# CONFIG       plain (--no-por --no-symmetry, the default) or reduced (the
#              check command's defaults: both reductions)
#
# Each round runs, one after the other:
#   1 thread     the search alone (T1)
#   2 threads    --threads 2 (T2); its output must equal the one-thread
#                output but for the timing lines, or the script fails (exit 1)
#   2 copies     two one-thread runs started together (Ta, Tb). They share
#                nothing but the machine, so each core's speed while both
#                are busy, against one alone, is the most two threads could
#                get: ceiling = T1 / Ta + T1 / Tb
# and prints a markdown row: the times, T1 / T2, the two-thread run's CPU
# time against the one-thread run's, and the ceiling; then the medians.
# On a virtual machine whose cores share hardware with each other or with
# the host, the ceiling is below 2, and times drift by tens of percent from
# minute to minute: compare within a round, and take several rounds.
#
# Environment: BENCH_ROUNDS (default 3); BENCH_RUN_LIMIT_SECONDS (default
# 600), each run's --max-time.

set -euo pipefail

usage="usage: bench/thread_scaling.sh BINDCHECK [FAMILY:N:GRANULARITY [plain|reduced]]"
(($# >= 1 && $# <= 3)) || { echo "thread_scaling.sh: error: $usage" >&2; exit 2; }
binary=$1
row=${2:-pair+master2:4:devres}
config=${3:-plain}
[[ -x $binary ]] || { echo "thread_scaling.sh: error: '$binary' is not an executable" >&2; exit 2; }
generator=$(dirname "$binary")/bindcheck_family
[[ -x $generator ]] || { echo "thread_scaling.sh: error: no bindcheck_family next to '$binary'" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "thread_scaling.sh: error: /usr/bin/time not found (Debian: apt-get install time)" >&2; exit 2; }
case $config in
    plain) config_args=(--no-por --no-symmetry) ;;
    reduced) config_args=() ;;
    *) echo "thread_scaling.sh: error: unknown configuration '$config' (plain or reduced)" >&2; exit 2 ;;
esac
IFS=: read -r family n gran <<<"$row"
case $family in
    pair) family_args=() ;;
    pair+master2) family_args=(--second-master) ;;
    *) echo "thread_scaling.sh: error: unknown family '$family' in '$row'" >&2; exit 2 ;;
esac
[[ $n =~ ^[1-9][0-9]*$ && ($gran == call || $gran == devres) ]] ||
    { echo "thread_scaling.sh: error: row '$row' is not FAMILY:N:call or FAMILY:N:devres" >&2; exit 2; }
limit=${BENCH_RUN_LIMIT_SECONDS:-600}
rounds=${BENCH_ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "thread_scaling.sh: error: BENCH_ROUNDS must be a positive integer" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bindcheck-thread-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
scenario=$work/scenario.bind
"$generator" --components "$n" "${family_args[@]}" >"$scenario"

# run NAME THREADS: one bindcheck run; its output in $work/NAME.out, its
# wall seconds, user seconds and peak KiB in $work/NAME.time.
run() {
    local name=$1 threads=$2
    /usr/bin/time -f '%e %U %M' -o "$work/$name.time" "$binary" check "$scenario" --variant V2 \
        --granularity "$gran" --no-progress --max-time "$limit" --threads "$threads" "${config_args[@]}" \
        >"$work/$name.out" 2>"$work/$name.err" || true
    if grep -q '^stopped: ' "$work/$name.out"; then
        echo "thread_scaling.sh: error: run '$name' did not complete (see its output below)" >&2
        cat "$work/$name.out" >&2
        exit 1
    fi
}
field() { cut -d' ' -f"$2" "$work/$1.time" | tail -1; }
untimed() { grep -v -e '^statistics: states ' -e '^statistics: partial-order reduction' "$work/$1.out"; }

echo "<!-- $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg) -->"
echo "<!-- $row, $config: bindcheck check --variant V2 --granularity $gran ${config_args[*]} -->"
echo "| round | states | 1 thread s | 2 threads s | speedup | 2 threads CPU / 1 thread CPU | copies a, b s | ceiling |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
speedups=() ceilings=()
for ((round = 1; round <= rounds; ++round)); do
    run one 1
    run two 2
    run copy_a 1 &
    copy_a=$!
    run copy_b 1 &
    copy_b=$!
    wait "$copy_a"
    wait "$copy_b"
    if ! diff <(untimed one) <(untimed two) >"$work/diff.txt"; then
        echo "thread_scaling.sh: error: two threads gave a different result than one:" >&2
        cat "$work/diff.txt" >&2
        exit 1
    fi
    states=$(sed -n 's/^statistics: states \([0-9]*\),.*/\1/p' "$work/one.out")
    t1=$(field one 1) t2=$(field two 1) ta=$(field copy_a 1) tb=$(field copy_b 1)
    speedup=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }')
    ceiling=$(awk -v t="$t1" -v a="$ta" -v b="$tb" 'BEGIN { printf "%.2f", t / a + t / b }')
    cpu=$(awk -v a="$(field two 2)" -v b="$(field one 2)" 'BEGIN { printf "%.2f", a / b }')
    speedups+=("$speedup") ceilings+=("$ceiling")
    echo "| $round | $states | $t1 | $t2 | ${speedup}x | $cpu | $ta, $tb | ${ceiling}x |"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "| median | | | | $(median "${speedups[@]}")x | | | $(median "${ceilings[@]}")x |"

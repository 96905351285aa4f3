#!/usr/bin/env bash
# Benchmark baseline: bindcheck on the family "the 4136 pair grown by
# components" (bench/family_generator.cpp), under V2, at both granularities.
#
# usage: bench/run.sh [--quick] [--max-n N]
#
# For each family (pair, pair+master2), each granularity (call, devres) and
# each size N = 1, 2, ... it generates the scenario, runs
#   bindcheck check FILE --variant V2 --granularity G --no-progress
# under /usr/bin/time -v and prints one table row. It stops growing N for a
# (family, granularity) pair after a run that took more than BENCH_MAX_SECONDS,
# that ran out of memory, hit the per-run time limit, or did not give a
# verdict; and at --max-n or the largest N the scenario language allows.
#
# Options:
#   --quick      only N = 1, 2 (a smoke test; a few seconds)
#   --max-n N    grow N up to N at most
# Environment:
#   BENCH_MAX_SECONDS        stop growing after a run longer than this (default 60)
#   BENCH_RUN_LIMIT_SECONDS  per-run --max-time passed to bindcheck
#                            (default 10 x BENCH_MAX_SECONDS; 2 with --quick)
#   BENCH_MAX_MEM_MIB        memory cap per run, enforced with `ulimit -v`
#                            (address space; default 75% of MemTotal)
#   BUILD_DIR                build directory holding bindcheck and
#                            bindcheck_family (default: <repo>/build); built
#                            with cmake when either binary is missing
#
# Wall times and memory vary from run to run; the order of the rows does not.
# Nothing here asserts on a time: a slow or failed run is a table row.

set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$repo/build}

quick=0
max_n=""
while (($#)); do
    case $1 in
        --quick) quick=1; shift ;;
        --max-n)
            [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: error: --max-n needs a positive integer" >&2; exit 2; }
            max_n=$2; shift 2 ;;
        --max-n=*)
            max_n=${1#--max-n=}
            [[ $max_n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: error: --max-n needs a positive integer" >&2; exit 2; }
            shift ;;
        -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: error: unknown argument '$1' (usage: bench/run.sh [--quick] [--max-n N])" >&2; exit 2 ;;
    esac
done

is_number() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }

max_seconds=${BENCH_MAX_SECONDS:-60}
is_number "$max_seconds" || { echo "run.sh: error: BENCH_MAX_SECONDS must be a number" >&2; exit 2; }
if ((quick)); then
    run_limit=${BENCH_RUN_LIMIT_SECONDS:-2}
    if [[ -z $max_n || $max_n -gt 2 ]]; then max_n=2; fi
else
    run_limit=${BENCH_RUN_LIMIT_SECONDS:-$(awk -v s="$max_seconds" 'BEGIN { printf "%g", 10 * s }')}
fi
is_number "$run_limit" || { echo "run.sh: error: BENCH_RUN_LIMIT_SECONDS must be a number" >&2; exit 2; }
mem_total_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
max_mem_mib=${BENCH_MAX_MEM_MIB:-$((mem_total_kib * 3 / 4 / 1024))}
[[ $max_mem_mib =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: error: BENCH_MAX_MEM_MIB must be a positive integer" >&2; exit 2; }

[[ -x /usr/bin/time ]] || { echo "run.sh: error: /usr/bin/time not found (Debian: apt-get install time)" >&2; exit 2; }

if [[ ! -x $build/bindcheck || ! -x $build/bindcheck_family ]]; then
    echo "# building bindcheck and bindcheck_family in $build" >&2
    cmake -S "$repo" -B "$build" >&2
    cmake --build "$build" -j"$(nproc)" --target bindcheck bindcheck_family >&2
fi
checker=$build/bindcheck
generator=$build/bindcheck_family

work=$(mktemp -d "${TMPDIR:-/tmp}/bindcheck-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "# bindcheck benchmark: family \"the 4136 pair grown by components\", variant V2"
echo "# date $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc $(nproc), MemTotal $((mem_total_kib / 1024)) MiB," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# bindcheck: $checker"
echo "# limits: stop growing after a run > ${max_seconds} s; per-run --max-time ${run_limit} s;" \
     "memory cap ${max_mem_mib} MiB (ulimit -v)${max_n:+; max N $max_n}"
echo "# check arguments: --variant V2 --granularity G --no-progress --max-time ${run_limit}${BENCH_CHECK_ARGS:+ $BENCH_CHECK_ARGS} (partial-order reduction is on unless --no-por)"
echo "# peak MiB and bytes/state come from /usr/bin/time -v (maximum resident set size);"
echo "# seconds is the wall time of the bindcheck process; states/s = states / seconds"
fmt='%-12s %3s %-6s %12s %13s %10s %11s %9s %9s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" family N gran states transitions states/s bytes/state peak_MiB seconds verdict

# run_one FAMILY N GRANULARITY: prints a row; sets stop_reason when N should stop growing.
run_one() {
    local family=$1 n=$2 gran=$3
    local flags=()
    [[ $family == pair+master2 ]] && flags+=(--second-master)
    local scenario=$work/$family-$n.bind
    stop_reason=""
    if ! "$generator" --components "$n" "${flags[@]}" >"$scenario" 2>"$work/gen.err"; then
        stop_reason="generator refused N=$n: $(head -1 "$work/gen.err")"
        return
    fi

    local out=$work/out.txt err=$work/err.txt tim=$work/time.txt rc start end
    start=$EPOCHREALTIME
    set +e
    (
        ulimit -v $((max_mem_mib * 1024))
        exec /usr/bin/time -v -o "$tim" "$checker" check "$scenario" --variant V2 --granularity "$gran" \
            --no-progress --max-time "$run_limit" ${BENCH_CHECK_ARGS:-}
    ) >"$out" 2>"$err"
    rc=$?
    set -e
    end=$EPOCHREALTIME

    local seconds rss_kib stats states transitions verdict sps bps peak
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tim" 2>/dev/null || true)
    rss_kib=${rss_kib:-0}
    # The first statistics line holds the stored states; with partial-order
    # reduction a second one says what the reduction and the shortening cost.
    stats=$(grep '^statistics: states ' "$out" | head -1 || true)
    states=$(sed -n 's/.*states \([0-9]*\),.*/\1/p' <<<"$stats")
    transitions=$(sed -n 's/.*transitions \([0-9]*\),.*/\1/p' <<<"$stats")

    case $rc in
        0) verdict="holds" ;;
        1) verdict="violates $(sed -n 's/^\([a-z-]*\) (.*) violated under .*/\1/p' "$out" | paste -sd, -)" ;;
        3) verdict="no verdict" ;;
        2) verdict="rejected: $(head -1 "$err")"; stop_reason="scenario rejected" ;;
        *)
            if grep -q 'bad_alloc' "$err"; then
                verdict="out of memory (cap ${max_mem_mib} MiB, exit $rc)"
                stop_reason="out of memory"
            else
                verdict="crashed (exit $rc): $(grep -v '^\s*$' "$err" | head -1)"
                stop_reason="crash"
            fi
            ;;
    esac

    # A limit (here only --max-time) cuts the search short; with a violation
    # already found bindcheck still exits 1, so look at the report's line.
    local stopped
    stopped=$(sed -n 's/^stopped: \([^;]*\);.*/\1/p' "$out" | head -1)
    if [[ -n $stopped ]]; then
        verdict="$verdict (incomplete: $stopped)"
        stop_reason="per-run limit ($stopped)"
    elif ((rc == 3)); then
        stop_reason="limit"
    fi

    peak=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')
    if [[ -n $states && $states -gt 0 ]]; then
        bps=$(awk -v k="$rss_kib" -v s="$states" 'BEGIN { printf "%d", k * 1024 / s }')
        sps=$(awk -v s="$states" -v t="$seconds" 'BEGIN { if (t > 0) printf "%d", s / t; else print "-" }')
    else
        states="-"; transitions="-"; bps="-"; sps="-"
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "$family" "$n" "$gran" "$states" "${transitions:--}" "$sps" "$bps" "$peak" "$seconds" "$verdict"

    if [[ -z $stop_reason ]]; then
        if awk -v t="$seconds" -v m="$max_seconds" 'BEGIN { exit !(t > m) }'; then
            stop_reason="run took ${seconds} s > ${max_seconds} s"
        elif ((rss_kib / 1024 > max_mem_mib)); then
            stop_reason="peak RSS above ${max_mem_mib} MiB"
        fi
    fi
}

notes=()
for family in pair pair+master2; do
    for gran in call devres; do
        n=1
        while :; do
            if [[ -n $max_n && $n -gt $max_n ]]; then
                notes+=("$family $gran: stopped at --max-n $max_n")
                break
            fi
            run_one "$family" "$n" "$gran"
            if [[ -n $stop_reason ]]; then
                if [[ $stop_reason == generator* ]]; then
                    notes+=("$family $gran: stopped before N=$n: $stop_reason")
                else
                    notes+=("$family $gran: stopped after N=$n: $stop_reason")
                fi
                break
            fi
            n=$((n + 1))
        done
    done
done
for note in "${notes[@]}"; do echo "# $note"; done
echo "# finished $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

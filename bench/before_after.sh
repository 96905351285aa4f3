#!/usr/bin/env bash
# Before/after figures: the same family rows checked by two bindcheck
# binaries, one right after the other, so that both see the same machine.
#
# usage: bench/before_after.sh BEFORE AFTER [ROW...]
#
# BEFORE, AFTER   bindcheck binaries (e.g. built from a clean export of two
#                 commits; see bench/README.md)
# ROW             FAMILY:N:GRANULARITY, FAMILY one of pair, pair+master2;
#                 default: the rows of the README's table
#
# Each row is run once by BEFORE with its default search (BENCH_BEFORE_ARGS,
# default empty), then by AFTER once per configuration:
#   plain    --no-por --no-symmetry
#   por      --no-symmetry (partial-order reduction alone)
#   reduced  the default (partial-order and symmetry reduction)
#   threads  --no-por --no-symmetry --threads 2
# (BENCH_AFTER_CONFIGS, default "plain por reduced threads", chooses among them).
# It prints one markdown row per run: stored states, wall and user seconds,
# peak RSS, bytes a state (peak RSS / states), states a second, and the
# wall-time ratio against BEFORE's run of the same row.
# The family generator is taken from AFTER's directory.
#
# Environment: BENCH_RUN_LIMIT_SECONDS (default 600), the --max-time of each run.

set -euo pipefail

if (($# < 2)); then
    echo "before_after.sh: error: usage: bench/before_after.sh BEFORE AFTER [FAMILY:N:GRANULARITY...]" >&2
    exit 2
fi
before=$1 after=$2
shift 2
for binary in "$before" "$after"; do
    [[ -x $binary ]] || { echo "before_after.sh: error: '$binary' is not an executable" >&2; exit 2; }
done
generator=$(dirname "$after")/bindcheck_family
[[ -x $generator ]] || { echo "before_after.sh: error: no bindcheck_family next to '$after'" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "before_after.sh: error: /usr/bin/time not found (Debian: apt-get install time)" >&2; exit 2; }

rows=("$@")
if ((${#rows[@]} == 0)); then
    rows=(pair:4:call pair+master2:4:call pair:3:devres pair+master2:3:devres)
fi
limit=${BENCH_RUN_LIMIT_SECONDS:-600}
read -r -a configs <<<"${BENCH_AFTER_CONFIGS:-plain por reduced threads}"

work=$(mktemp -d "${TMPDIR:-/tmp}/bindcheck-before-after.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "<!-- $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg) -->"
echo "| family | N | granularity | run | states | seconds | user s | peak MiB | bytes/state | states/s | time vs before |"
echo "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

# measure BINARY SCENARIO GRANULARITY ARGS...: sets states, seconds, user, rss_kib.
measure() {
    local binary=$1 scenario=$2 gran=$3
    shift 3
    local start end
    start=$EPOCHREALTIME
    set +e
    /usr/bin/time -v -o "$work/time.txt" "$binary" check "$scenario" --variant V2 --granularity "$gran" \
        --no-progress --max-time "$limit" "$@" >"$work/out.txt" 2>"$work/err.txt"
    set -e
    end=$EPOCHREALTIME
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    user=$(awk -F': ' '/User time/ { print $2 }' "$work/time.txt")
    rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    states=$(grep -m1 '^statistics: states ' "$work/out.txt" | sed -n 's/.*states \([0-9]*\),.*/\1/p')
    if grep -q '^stopped: ' "$work/out.txt"; then states="${states:-0} (cut)"; fi
    states=${states:--}
}

print_row() {
    local label=$1 run=$2 ratio=$3
    local bps="-" sps="-"
    local count=${states%% *}
    if [[ $count =~ ^[0-9]+$ && $count -gt 0 ]]; then
        bps=$(awk -v k="$rss_kib" -v s="$count" 'BEGIN { printf "%.1f", k * 1024 / s }')
        sps=$(awk -v s="$count" -v t="$seconds" 'BEGIN { printf "%d", s / t }')
    fi
    echo "| $label | $run | $states | $seconds | $user | $(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }') | $bps | $sps | $ratio |"
}

for row in "${rows[@]}"; do
    IFS=: read -r family n gran <<<"$row"
    flags=()
    case $family in
        pair) ;;
        pair+master2) flags+=(--second-master) ;;
        *) echo "before_after.sh: error: unknown family '$family' in '$row'" >&2; exit 2 ;;
    esac
    scenario=$work/$family-$n.bind
    "$generator" --components "$n" "${flags[@]}" >"$scenario"
    label="$family | $n | $gran"

    # shellcheck disable=SC2086
    measure "$before" "$scenario" "$gran" ${BENCH_BEFORE_ARGS:-}
    before_seconds=$seconds
    print_row "$label" before "1.00"
    for config in "${configs[@]}"; do
        case $config in
            plain) args=(--no-por --no-symmetry) ;;
            por) args=(--no-symmetry) ;;
            reduced) args=() ;;
            threads) args=(--no-por --no-symmetry --threads 2) ;;
            *) echo "before_after.sh: error: unknown configuration '$config'" >&2; exit 2 ;;
        esac
        measure "$after" "$scenario" "$gran" "${args[@]}"
        ratio=$(awk -v b="$before_seconds" -v a="$seconds" 'BEGIN { if (a > 0) printf "%.2fx", b / a; else print "-" }')
        print_row "$label" "after, $config" "$ratio"
    done
done

#!/usr/bin/env bash
# Measures ptvsd-publish against the floor (cp) and against what a user would script instead
# (bench/user_pipeline.sh), the proxy against direct TCP and a Python bridge (bench/proxy_bench.py),
# and prints one table with the ratios and the targets. Everything in one run: it builds a Release
# copy in build-bench/, generates the inputs in a temp folder, runs, and removes the folder.
#
#   bench/compare.sh            full run (about 3.5 minutes on 2 cores)
#   bench/compare.sh --quick    fewer runs, for checking the script itself
#
# Environment: BENCH_DIR (where the disk inputs go; default $TMPDIR or /tmp), BENCH_TMPFS (a tmpfs
# folder for the second column; default /dev/shm, "none" to skip), BENCH_BUILD_DIR (default
# <repo>/build-bench), BENCH_NICE (niceness for the measurements when allowed; default -10, "none"
# to leave it), PTVSD_ROOT (another checkout to measure, e.g. a scratch copy with a fix),
# BENCH_PROXY_ALSO ("NAME=PATH ...": other ptvsd-proxy builds measured in the same rounds),
# BENCH_TOOL_ALSO ("NAME=PATH ...": other ptvsd-publish builds, e.g. the previous commit's
# build-bench/static/bin/ptvsd-publish, timed in the same hyperfine sessions as publish and rotate,
# each on inputs of its own; the stand-in proxy and its manifest are put where each looks for its
# installed proxy).
# Needs cmake g++ libbenchmark-dev hyperfine xmlstarlet openssl time python3 python3-websockets;
# as root it installs the missing ones with apt-get.
set -euo pipefail
if [[ -n ${BENCH_PUBLISH_ALSO:-} ]]; then
  echo "compare.sh: BENCH_PUBLISH_ALSO is now BENCH_TOOL_ALSO (its candidates run in the rotate sessions too)" >&2
  exit 2
fi

bench=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench/.." && pwd)
root=${PTVSD_ROOT:-$repo}
build=${BENCH_BUILD_DIR:-$repo/build-bench}
quick=0
[[ ${1:-} == --quick ]] && quick=1

log() { printf '%s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------
need=()
for pair in cmake:cmake g++:g++ hyperfine:hyperfine xmlstarlet:xmlstarlet openssl:openssl \
            /usr/bin/time:time /usr/bin/python3:python3 sha256sum:coreutils socat:socat; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
[[ -f /usr/include/benchmark/benchmark.h ]] || need+=(libbenchmark-dev)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need+=(python3-websockets)
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]]; then
    log "installing ${need[*]}"
    apt-get install -y "${need[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null && apt-get install -y "${need[@]}" >/dev/null; }
  else
    log "missing: ${need[*]} (sudo apt-get install -y ${need[*]})"
    exit 1
  fi
fi

# --- build -----------------------------------------------------------------------------------
log "building a Release copy of $root in $build"
mkdir -p "$build"
cmake -S "$bench" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPTVSD_ROOT="$root" >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
cmake --build "$build" -j "$jobs" --target ptvsd-publish bench_micro bench_inputs >"$build/build.log" 2>&1 ||
  { tail -40 "$build/build.log" >&2; exit 1; }
shared_tool=$build/ptvsd/bin/ptvsd-publish  # the main project is added as ptvsd/ (bench/CMakeLists.txt)
# The link the releases ship (.deb, archives, NuGet: PTVSD_STATIC, .ci/release.sh), built apart
# from the same sources in the same build type: timed as publish. A shared link spends a third of
# a publish in the dynamic loader (ten libraries, OpenSSL's for attach among them); its row is
# context.
static_build=$build/static
cmake -S "$root" -B "$static_build" -DCMAKE_BUILD_TYPE=Release -DPTVSD_STATIC=ON -DPTVSD_BUILD_TESTS=OFF \
  >"$build/static-configure.log" 2>&1 || { cat "$build/static-configure.log" >&2; exit 1; }
cmake --build "$static_build" -j "$jobs" --target ptvsd-publish >"$build/static-build.log" 2>&1 ||
  { tail -40 "$build/static-build.log" >&2; exit 1; }
tool=$static_build/bin/ptvsd-publish
# The proxy publish packages by default, where each tool looks for it, with the manifest a build
# writes beside it (cmake/proxy_manifest.cmake): the 2 MiB stand-in of the inputs below. Both
# columns read it from here, the build tree on the disk (from the page cache, after warm-up).
site_proxy=$static_build/share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe
mkdir -p "$(dirname "$site_proxy")"
"$build/bench_inputs" binary 2097152 "$site_proxy"
cmake -DPROXY="$site_proxy" -P "$repo/cmake/proxy_manifest.cmake"
shared_proxy_folder=$build/ptvsd/share/ptvsd-publish/site/win-x64
mkdir -p "$shared_proxy_folder"
cp "$site_proxy" "$site_proxy.sha256" "$shared_proxy_folder/"
also_tools=()  # NAME=PATH of the candidates, each given the stand-in as its installed proxy
for candidate in ${BENCH_TOOL_ALSO:-}; do
  candidate_proxy=$(dirname "${candidate#*=}")/../share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe
  mkdir -p "$(dirname "$candidate_proxy")"
  cp "$site_proxy" "$site_proxy.sha256" "$(dirname "$candidate_proxy")/"
  also_tools+=("$candidate")
done
proxy_tool=$build/ptvsd/bin/ptvsd-proxy
rm -f "$proxy_tool"
if [[ -d $root/src/proxy ]]; then
  cmake --build "$build" -j "$jobs" --target ptvsd-proxy >"$build/proxy-build.log" 2>&1 ||
    log "ptvsd-proxy did not build (see $build/proxy-build.log); the proxy rows are skipped"
fi

# --- where, and how loaded ---------------------------------------------------------------------
if [[ ${BENCH_NICE:--10} != none ]] && renice -n "${BENCH_NICE:--10}" -p $$ >/dev/null 2>&1; then
  niceness=${BENCH_NICE:--10}
else
  niceness=$(ps -o ni= -p $$ | tr -d ' ')
fi
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/ptvsd-bench.XXXXXX")
tmpfs_work=""
tmpfs=${BENCH_TMPFS:-/dev/shm}
if [[ $tmpfs != none && -d $tmpfs && $(stat -f -c %T "$tmpfs" 2>/dev/null) == tmpfs ]]; then
  tmpfs_work=$(mktemp -d "$tmpfs/ptvsd-bench.XXXXXX")
fi
cleanup() { rm -rf "$work" ${tmpfs_work:+"$tmpfs_work"}; }
trap cleanup EXIT
results=$work/results
mkdir -p "$results"

{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
  echo "memory=$(free -m | awk '/^Mem:/ {print $2 " MB"}')"
  echo "kernel=$(uname -r)"
  echo "disk=$(df -T "$work" | awk 'NR==2 {print $2 " on " $1}') ($(findmnt -n -o OPTIONS --target "$work" 2>/dev/null | cut -c1-60))"
  echo "tmpfs=${tmpfs_work:+$(stat -f -c %T "$tmpfs_work")}"
  echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" status --porcelain -- src 2>/dev/null | grep -q . && echo ' + uncommitted src/ changes')"
  echo "compiler=$(c++ --version | head -1)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nice=$niceness"
  echo "quick=$quick"
} >"$results/machine.txt"
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  log "WARNING: load average $load on $(nproc) cores: other work is running; wall times will be"
  log "         inflated and noisy (instruction counts from callgrind are not; see bench/README.md)"
fi

# --- inputs ----------------------------------------------------------------------------------
inputs() {  # DIR: everything one column needs, generated by bench_inputs (deterministic)
  local dir=$1
  mkdir -p "$dir"/{pub/P,pub/O,pub/cp,pub-shared/P,user/P,user/O,big,big-x,big-cp,many,many-x,many-cp}
  "$build/bench_inputs" binary 2097152 "$dir/proxy.bin"
  "$build/bench_inputs" config 10485760 "$dir/big/web.config"
  cp "$dir/big/web.config" "$dir/big-x/web.config"
  "$build/bench_inputs" configs 1000 2048 "$dir/many"
  cp "$dir"/many/*.config "$dir/many-x/"
  local candidate name
  for candidate in "${also_tools[@]}"; do
    name=${candidate%%=*}
    mkdir -p "$dir/big-$name" "$dir/many-$name"
    cp "$dir/big/web.config" "$dir/big-$name/"
    cp "$dir"/many/*.config "$dir/many-$name/"
  done
  # The pipeline edits the same web.debug.config the tool writes.
  "$tool" publish --project "$dir/user/P" 2>/dev/null
}

if ((quick)); then r_fast=5 r_mid=3 r_slow=1; else r_fast=30 r_mid=10 r_slow=3; fi

hf() {  # NAME RUNS WARMUP COMMAND... : hyperfine without a shell, JSON kept for the report
  local name=$1 runs=$2 warmup=$3
  shift 3
  hyperfine -N --style none --runs "$runs" --warmup "$warmup" --export-json "$results/$name.json" "$@" \
    >"$results/$name.log" 2>&1 || { cat "$results/$name.log" >&2; exit 1; }
}

suite() {  # LABEL DIR
  local label=$1 dir=$2
  log "[$label] generating inputs in $dir"
  inputs "$dir"
  log "[$label] publish vs cp vs the user pipeline"
  local candidates=() fresh_candidates=() big_candidates=() many_candidates=() candidate name
  for candidate in "${also_tools[@]}"; do
    name=${candidate%%=*}
    mkdir -p "$dir/pub-$name/P"
    candidates+=(-n "publish@$name" "${candidate#*=} publish --project $dir/pub-$name/P --publish-dir $dir/pub-$name/O")
    fresh_candidates+=(-n "publish-fresh@$name" --prepare "rm -rf $dir/pub-$name/F"
                       "${candidate#*=} publish --project $dir/pub-$name/P --publish-dir $dir/pub-$name/F")
    big_candidates+=(-n "rotate@$name" "${candidate#*=} rotate $dir/big-$name/web.config")
    many_candidates+=(-n "rotate@$name" "${candidate#*=} rotate $(printf '%s ' "$dir/many-$name"/*.config)")
  done
  # Publishing again into the same output, as every build does: the proxy there is up to date.
  hf "$label-publish" "$r_fast" 3 \
    -n publish "$tool publish --project $dir/pub/P --publish-dir $dir/pub/O" \
    -n publish-hashing "$tool publish --project $dir/pub/P --publish-dir $dir/pub/O --proxy $dir/proxy.bin" \
    -n publish-shared "$shared_tool publish --project $dir/pub-shared/P --publish-dir $dir/pub-shared/O" \
    -n cp "cp $dir/proxy.bin $dir/pub/cp/ptvsd-proxy" \
    -n cp-fsync "dd if=$dir/proxy.bin of=$dir/pub/cp/ptvsd-proxy-dd bs=1M conv=fsync status=none" \
    -n pipeline "sh $bench/user_pipeline.sh publish $dir/user/P $dir/user/O $dir/proxy.bin" \
    -n start "$tool --version" -n true "true" "${candidates[@]}"
  # Into a new output folder (a clean publish): the proxy is copied. The floor: cp to a new file.
  hf "$label-publish-fresh" "$r_fast" 3 \
    -n publish-fresh --prepare "rm -rf $dir/pub/F" "$tool publish --project $dir/pub/P --publish-dir $dir/pub/F" \
    -n cp-fresh --prepare "rm -f $dir/pub/cp/fresh" "cp $dir/proxy.bin $dir/pub/cp/fresh" "${fresh_candidates[@]}"
  log "[$label] rotate one 10 MB config"
  hf "$label-rotate-big" "$r_mid" 2 \
    -n rotate "$tool rotate $dir/big/web.config" \
    -n cp "cp $dir/big-x/web.config $dir/big-cp/web.config" \
    -n cp-fsync "dd if=$dir/big-x/web.config of=$dir/big-cp/web.config-dd bs=1M conv=fsync status=none" \
    -n xmlstarlet "sh $bench/user_pipeline.sh rotate $dir/big-x/web.config" "${big_candidates[@]}"
  log "[$label] rotate 1,000 configs in one call vs 1,000 xmlstarlet calls"
  local many many_x
  many=$(printf '%s ' "$dir"/many/*.config)
  many_x=$(printf '%s ' "$dir"/many-x/*.config)
  # The floor: one process rewriting the same 1,000 files (cp overwrites in place, no fsync).
  hf "$label-rotate-many" "$r_mid" 1 -n rotate "$tool rotate $many" -n cp "cp $many_x $dir/many-cp/" \
    "${many_candidates[@]}"
  hf "$label-rotate-many-xmlstarlet" "$r_slow" 0 -n xmlstarlet "sh $bench/user_pipeline.sh rotate $many_x"
  log "[$label] peak memory of publish"
  local i
  for i in 1 2 3 4 5; do
    /usr/bin/time -f %M -o "$results/$label-rss-publish.$i" \
      "$tool" publish --project "$dir/pub/P" --publish-dir "$dir/pub/O" 2>/dev/null
    rm -rf "$dir/pub/F"
    /usr/bin/time -f %M -o "$results/$label-rss-publish-fresh.$i" \
      "$tool" publish --project "$dir/pub/P" --publish-dir "$dir/pub/F" 2>/dev/null
  done
  /usr/bin/time -f %M -o "$results/$label-rss-version" "$tool" --version >/dev/null
  /usr/bin/time -f %M -o "$results/$label-rss-cp" cp "$dir/proxy.bin" "$dir/pub/cp/ptvsd-proxy"
}

suite disk "$work/disk"
{
  echo "big_bytes=$(stat -c %s "$work/disk/big/web.config")"
  echo "small_bytes=$(stat -c %s "$work/disk/many/site-0000.config")"
  echo "proxy_bytes=$(stat -c %s "$work/disk/proxy.bin")"
} >>"$results/machine.txt"
[[ -n $tmpfs_work ]] && suite tmpfs "$tmpfs_work"

log "micro-benchmarks (bench_micro)"
micro_args=(--benchmark_out="$results/micro.json" --benchmark_out_format=json)
((quick)) && micro_args+=(--benchmark_min_time=0.05) || micro_args+=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
"$build/bench_micro" "${micro_args[@]}" >"$results/micro.log" 2>&1

log "proxy (bench/proxy_bench.py)"
proxy_args=(--proxy "$proxy_tool" --tool "$tool" --json "$results/proxy.json")  # --tool: the attach tunnel path
((quick)) && proxy_args+=(--quick)
for candidate in ${BENCH_PROXY_ALSO:-}; do proxy_args+=(--also "$candidate"); done
/usr/bin/python3 "$bench/proxy_bench.py" "${proxy_args[@]}" >&2 || log "proxy_bench.py failed; its rows are skipped"

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/machine.txt"
/usr/bin/python3 "$bench/report.py" "$results"

"""Turns the results compare.sh collected (hyperfine JSON, /usr/bin/time output, Google Benchmark
JSON, proxy_bench.py JSON) into one Markdown table with ratios and targets, printed to stdout.

    python3 bench/report.py RESULTS_DIR

Ratios use medians of wall time (hyperfine runs each command many times; the median resists the
odd slow run that a shared machine produces). Sizes: MiB = 2^20 bytes.
"""

import json
import sys
from pathlib import Path

MiB = 1024 * 1024


def load(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def medians(results_dir, name):
    """{command name: hyperfine result (median, min, user, system ... in seconds)}, or {}."""
    data = load(results_dir / f"{name}.json")
    if not data:
        return {}
    out = {}
    for result in data["results"]:
        out[result["command"]] = result
    return out


def ms(seconds):
    return f"{seconds * 1e3:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def verdict(ok):
    return "met" if ok else "**missed**"


def main():
    results = Path(sys.argv[1])
    machine = dict(line.split("=", 1) for line in (results / "machine.txt").read_text().splitlines() if "=" in line)
    labels = [label for label in ("disk", "tmpfs") if (results / f"{label}-publish.json").exists()]

    print(f"Machine: {machine.get('cpu')}, {machine.get('memory')}, Linux {machine.get('kernel')}; "
          f"{machine.get('compiler')}")
    print(f"Source: {machine.get('commit')}; Release build (bench/CMakeLists.txt); {machine.get('date')}")
    print(f"disk column: {machine.get('disk')}; tmpfs column: {machine.get('tmpfs') or 'skipped'}")
    print(f"Load average before/after: {machine.get('load_before')} / {machine.get('load_after')}; "
          f"niceness {machine.get('nice')}{'; QUICK run (few repetitions)' if machine.get('quick') == '1' else ''}")
    print()

    header = "| measurement | " + " | ".join(labels) + " | target |"
    print(header)
    print("|---|" + "---|" * len(labels) + "---|")

    def row(name, cells, target=""):
        print(f"| {name} | " + " | ".join(cells) + f" | {target} |")

    pub = {label: medians(results, f"{label}-publish") for label in labels}
    big = {label: medians(results, f"{label}-rotate-big") for label in labels}
    many = {label: medians(results, f"{label}-rotate-many") for label in labels}
    many_x = {label: medians(results, f"{label}-rotate-many-xmlstarlet") for label in labels}
    big_bytes = int(machine.get("big_bytes", 10485760))
    small_bytes = int(machine.get("small_bytes", 0))

    def cell(label, table, command, fmt=lambda r: ms(r["median"])):
        result = table[label].get(command)
        return fmt(result) if result else "n/a"

    def cpu(result):
        return f"{ms(result['median'])} (CPU {ms(result['user'] + result['system'])})"

    fresh = {label: medians(results, f"{label}-publish-fresh") for label in labels}
    row("`publish` again into the same output (secret + template; the installed 2 MiB proxy and its shipped "
        "manifest compared with the published ones, up to date), the static link the releases ship, median",
        [cell(l, pub, "publish", cpu) for l in labels])
    row("`publish --proxy FILE` (the same, the manifest computed: SHA-256 of 2 MiB; context)",
        [cell(l, pub, "publish-hashing", cpu) for l in labels])
    row("the same, linked against shared libraries (a developer's build; context)",
        [cell(l, pub, "publish-shared", cpu) for l in labels])
    row("`cp` of the proxy (the floor)", [cell(l, pub, "cp", cpu) for l in labels])
    row("`dd conv=fsync` of the proxy (a durable copy; context)", [cell(l, pub, "cp-fsync", cpu) for l in labels])
    row("user pipeline (`openssl rand` + `xmlstarlet ed` + `cp` + `sha256sum`)", [cell(l, pub, "pipeline", cpu) for l in labels])
    row("process start: `ptvsd-publish --version` / `true` (context: what any run costs)",
        [f"{cell(l, pub, 'start', cpu)} / {cell(l, pub, 'true', cpu)}" for l in labels])
    row("`publish` into a new output folder (the proxy copied and read back), median",
        [cell(l, fresh, "publish-fresh", cpu) for l in labels])
    row("`cp` of the proxy to a new file (its floor)", [cell(l, fresh, "cp-fresh", cpu) for l in labels])
    candidates = sorted({c.split("@", 1)[1] for l in labels for c in pub[l] if "@" in c})
    for name in candidates:
        row(f"candidate `{name}`: publish again / into a new folder, median",
            [f"{cell(l, pub, 'publish@' + name, cpu)} / {cell(l, fresh, 'publish-fresh@' + name, cpu)}"
             for l in labels])

    def ratio_cells(table, a, b, limit, below=True):
        cells = []
        for label in labels:
            ra, rb = table[label].get(a), table[label].get(b)
            if not ra or not rb:
                cells.append("n/a")
                continue
            value = ra["median"] / rb["median"]
            if limit is None:  # context, no target
                cells.append(f"{value:.2f}x")
                continue
            ok = value <= limit if below else value >= limit
            cells.append(f"{value:.2f}x {verdict(ok)}")
        return cells

    row("**publish / cp**", ratio_cells(pub, "publish", "cp", 1.5), "<= 1.5x")
    row("**publish / user pipeline**", ratio_cells(pub, "publish", "pipeline", 0.2), "<= 0.2x")
    row("publish / durable copy (context)", ratio_cells(pub, "publish", "cp-fsync", None), "")
    row("process start / cp (context: the floor of any publish)", ratio_cells(pub, "start", "cp", None), "")
    row("**publish into a new folder / cp to a new file**", ratio_cells(fresh, "publish-fresh", "cp-fresh", 1.5),
        "<= 1.5x")
    for name in candidates:
        row(f"candidate `{name}` / this build: again / new folder",
            [f"{again} / {new}" for again, new in zip(ratio_cells(pub, "publish@" + name, "publish", None),
                                                     ratio_cells(fresh, "publish-fresh@" + name, "publish-fresh", None))])

    def throughput(result):
        return big_bytes / MiB / result["median"]

    row("`rotate` one 10 MiB config, median", [cell(l, big, "rotate", cpu) for l in labels])
    cells = []
    for label in labels:
        result = big[label].get("rotate")
        if not result:
            cells.append("n/a")
            continue
        value = throughput(result)
        cells.append(f"{value:.0f} MiB/s {verdict(value >= 300)}")
    row("**rotate 10 MiB throughput**", cells, ">= 300 MiB/s")
    row("`cp` of the 10 MiB config (floor) / `dd conv=fsync` (durable floor)",
        [f"{cell(l, big, 'cp')} / {cell(l, big, 'cp-fsync')}" for l in labels])
    row("`xmlstarlet ed -L` on the 10 MiB config", [cell(l, big, "xmlstarlet", cpu) for l in labels])
    row("rotate / xmlstarlet (10 MiB)", ratio_cells(big, "rotate", "xmlstarlet", None), "")
    for name in candidates:
        row(f"candidate `{name}`: rotate 10 MiB, median / this build's throughput over its",
            [f"{cell(l, big, 'rotate@' + name, cpu)} / {r}"
             for l, r in zip(labels, ratio_cells(big, "rotate@" + name, "rotate", None))])

    cells = []
    for label in labels:
        result = many[label].get("rotate")
        if not result:
            cells.append("n/a")
            continue
        cells.append(f"{cpu(result)} {verdict(result['median'] <= 0.25)}")
    row(f"**`rotate` 1,000 configs ({small_bytes / 1000:.1f} kB each), one call**", cells, "<= 0.25 s")
    row("`cp` of the 1,000 configs over themselves, one call (floor, no fsync)", [cell(l, many, "cp", cpu) for l in labels])
    row("1,000 `xmlstarlet ed -L` calls", [cell(l, many_x, "xmlstarlet", cpu) for l in labels])
    cells = []
    for label in labels:
        a, b = many[label].get("rotate"), many_x[label].get("xmlstarlet")
        cells.append(f"{a['median'] / b['median']:.3f}x" if a and b else "n/a")
    row("rotate 1,000 / xmlstarlet x 1,000", cells)
    for name in candidates:
        row(f"candidate `{name}`: rotate 1,000 configs, median / this build's speed over its",
            [f"{cell(l, many, 'rotate@' + name, cpu)} / {r}"
             for l, r in zip(labels, ratio_cells(many, "rotate@" + name, "rotate", None))])

    def rss(label, name):
        values = []
        for path in sorted([*results.glob(f"{label}-rss-{name}"), *results.glob(f"{label}-rss-{name}.*")]):
            try:
                values.append(int(path.read_text().split()[-1]))
            except (OSError, ValueError, IndexError):
                pass
        return values

    cells = []
    for label in labels:
        values = rss(label, "publish")
        if not values:
            cells.append("n/a")
            continue
        peak = max(values) / 1024
        cells.append(f"{peak:.1f} MiB (min {min(values) / 1024:.1f}) {verdict(peak <= 8)}")
    row("**peak RSS of publish** (max of 5)", cells, "<= 8 MiB")
    row("peak RSS of publish into a new folder (max of 5)",
        [f"{max(rss(l, 'publish-fresh') or [0]) / 1024:.1f} MiB" for l in labels])
    row("peak RSS of `ptvsd-publish --version` / of `cp`",
        [f"{(rss(l, 'version') or [0])[0] / 1024:.1f} / {(rss(l, 'cp') or [0])[0] / 1024:.1f} MiB" for l in labels])

    proxy = load(results / "proxy.json")
    print()
    if not proxy:
        print("Proxy: no results (proxy_bench.py did not run).")
    elif proxy.get("skipped"):
        print(f"Proxy: skipped: {proxy['skipped']}")
    else:
        print_proxy(proxy)

    micro = load(results / "micro.json")
    if micro:
        print()
        print_micro(micro)


def print_proxy(proxy):
    paths = [p for p in ("direct", "proxy", "bridge", "relay", "tunnel") if proxy.get(p)]
    names = {"direct": "direct TCP", "proxy": "ptvsd-proxy", "bridge": "Python bridge",
             "relay": "socat TCP relay (floor of a hop)", "tunnel": "`attach` tunnel + ptvsd-proxy (ws)"}
    print("| proxy (127.0.0.1, medians of rounds) | " + " | ".join(names[p] for p in paths) +
          " | proxy / direct | proxy / bridge | target |")
    print("|---|" + "---|" * len(paths) + "---|---|---|")
    for direction, text in (("down", "bulk debugger -> client, MiB/s"), ("up", "bulk client -> debugger, MiB/s")):
        rates = {p: proxy[p].get(f"throughput_{direction}") for p in paths}
        if not rates.get("direct") or not rates.get("proxy"):
            continue
        to_direct = rates["proxy"] / rates["direct"]
        to_bridge = rates["proxy"] / rates["bridge"] if rates.get("bridge") else None
        bridge_cell = f"{to_bridge:.1f}x {verdict(to_bridge >= 5)}" if to_bridge else "n/a"
        print(f"| {text} | " + " | ".join(f"{rates[p]:.0f}" for p in paths) +
              f" | {to_direct:.2f}x {verdict(to_direct >= 0.6)} | {bridge_cell} | >= 0.6x direct, >= 5x bridge |")
    lat = {p: proxy[p].get("latency_us") for p in paths}
    if lat.get("direct") and lat.get("proxy"):
        size = proxy.get("message_bytes", 100)
        for q in ("p50", "p99"):
            lower = f"{lat['bridge'][q] / lat['proxy'][q]:.1f}x lower" if lat.get("bridge") else "n/a"
            print(f"| round trip of a {size} B message, {q}, us | " + " | ".join(f"{lat[p][q]:.0f}" for p in paths) +
                  f" | | {lower} | |")
        split = {p: proxy[p].get("split_us") for p in paths}
        if all(split.values()):
            print("| round trip when the answer comes in two writes 0.2 ms apart (response + event), p50, us | " +
                  " | ".join(f"{split[p]['p50']:.0f}" for p in paths) + " | | | no Nagle stall (~40 ms) |")
        added = {p: lat[p]["p50"] - lat["direct"]["p50"] for p in paths}
        limits = {"proxy": 25, "tunnel": 60}  # the tunnel is a second hop: its own target
        print("| **added p50 latency** (p50 - direct p50), us | " +
              " | ".join("" if p == "direct" else f"{added[p]:.0f}" + (f" {verdict(added[p] <= limits[p])}"
                                                                        if p in limits else "") for p in paths) +
              " | | | <= 25 us proxy, <= 60 us tunnel + proxy |")
    print_connect(proxy, paths)
    extra = [p for p in proxy if p not in paths and isinstance(proxy[p], dict) and "latency_us" in proxy[p]]
    for p in extra:
        r = proxy[p]
        split = f"; split answer p50 {r['split_us']['p50']:.0f} us" if r.get("split_us") else ""
        print(f"| candidate `{p}` | down {r['throughput_down']:.0f}, up {r['throughput_up']:.0f} MiB/s; "
              f"p50 {r['latency_us']['p50']:.0f} us{split} |" + " |" * (len(paths) + 2))


def print_connect(proxy, paths):
    """Fresh connections to a stand-in that greets at once: until its first bytes arrive (for the
    proxy: TCP connect, HTTP upgrade, secret check, the proxy's own connect, 101), p50 (p90 / p99)."""
    def cells(stage):
        values = {p: proxy[p].get(f"connect_{stage}_us") for p in paths}
        return values, [f"{v['p50']:.0f} ({v['p90']:.0f} / {v['p99']:.0f})" if v else "" for v in values.values()]

    first, texts = cells("first_byte")
    if not first.get("proxy"):
        return
    ok = verdict(first["proxy"]["p50"] <= 2000)
    texts[paths.index("proxy")] += f" {ok}"
    print("| **connect until the debug server's first bytes arrive**, p50 (p90 / p99), us | " + " | ".join(texts) +
          " | | | <= 2 ms through the proxy |")
    upgrade, texts = cells("upgrade")
    if upgrade.get("proxy"):
        print("| of which until the 101 response, p50 (p90 / p99), us | " + " | ".join(texts) + " | | | |")


def print_micro(micro):
    print("| micro-benchmark (bench_micro) | CPU time | throughput |")
    print("|---|---|---|")
    for bench in micro.get("benchmarks", []):
        if bench.get("aggregate_name") not in (None, "median"):
            continue
        name = bench["run_name"] if "run_name" in bench else bench["name"]
        unit = bench.get("time_unit", "ns")
        cpu = bench["cpu_time"]
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
        seconds = cpu * scale
        text = f"{seconds * 1e6:.2f} us" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"
        rate = bench.get("bytes_per_second")
        print(f"| {name} | {text} | {f'{rate / MiB:.0f} MiB/s' if rate else ''} |")


if __name__ == "__main__":
    main()

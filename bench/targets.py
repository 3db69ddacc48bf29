"""Issue 6's targets, judged on one run's results: (target, measured, met).
A missed target's cause and what was tried are in docs/performance.md."""


def verdicts(results):
    rows = []
    by_id, _ = results["catalog_reads"]
    rows.append(("product by id: >= 70 % of nginx, p99 < 5 ms",
                 f"{by_id['ratio']:.0%}, p99 {by_id['shopbox']['p99_ms']:.2f} ms",
                 by_id["ratio"] >= 0.70 and by_id["shopbox"]["p99_ms"] < 5))
    full = next(row for row in results["order_placement"] if row["synchronous"] == "full")
    limit = next(row for row in results["storage_limit"] if row["synchronous"] == "full")
    share = full["requests_per_second"] / limit["orders_per_second"]
    rows.append(("orders (full): >= 40 % of the storage limit", f"{share:.0%}", share >= 0.40))
    rows.append(("orders (full): >= 4,000/s, p99 < 20 ms",
                 f"{full['requests_per_second']:.0f}/s, p99 {full['p99_ms']:.1f} ms",
                 full["requests_per_second"] >= 4000 and full["p99_ms"] < 20))
    rows.append(("projection lag p99 < 50 ms", f"{full['lag_p99_ms']:.0f} ms",
                 full["lag_p99_ms"] < 50))
    rows.append(("resident memory idle < 20 MB", f"{full['rss_idle_mib']:.1f} MiB",
                 full["rss_idle_mib"] * 2**20 < 20e6))
    grown = results.get("growth")
    if grown:
        worst = max(row["p50_ratio"] for row in grown["catalog_ratios"])
        rows.append(("catalog p50 at 1M products <= 1.5x at 1k", f"worst {worst:.2f}x", worst <= 1.5))
        ratio = grown["orders"]["ratio"]
        rows.append(("orders with 1M existing >= 80 % of empty", f"{ratio:.0%}", ratio >= 0.80))
        ready = grown["start_up"]["existing"]["ready_ms"]
        rows.append(("start-up with 1M orders < 300 ms", f"{ready:.0f} ms", ready < 300))
        peak = max(grown["memory"]["idle_mib"], grown["memory"]["peak_under_order_load_mib"])
        rows.append(("resident memory with 1M orders < 200 MB", f"{peak:.1f} MiB at most",
                     peak * 2**20 < 200e6))
    return rows


def target_lines(results):
    lines = ["## Targets (issue 6)", "", "| target | measured | |", "|---|---|---|"]
    for target, measured, met in verdicts(results):
        lines.append(f"| {target} | {measured} | {'met' if met else '**missed**'} |")
    if not all(met for _, _, met in verdicts(results)):
        lines += ["", "What stands in the way of a missed target, and what was tried: "
                      "docs/performance.md."]
    return lines + [""]

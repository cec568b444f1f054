#!/usr/bin/env python3
"""Markdown table of bench/quality/vs_popularity.sh output: test HR@10 and NDCG@10 (%) for all, casual
and core users, and each model's ratio to popularity over all users.
Usage: bench/quality/table.py <runs.jsonl> [dataset label]"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
label = sys.argv[2] if len(sys.argv) > 2 else ""
pop = next(r for r in rows if r["run"] == "popularity")["test"]["all"]
groups = [g for g in ("all", "casual", "core") if g in rows[0]["test"] and rows[0]["test"][g]["users"] > 0]
head = ["dataset", "model"] + [f"{g} {m}" for g in groups for m in ("HR@10", "NDCG@10")] + ["x popularity (HR@10 / NDCG@10)", "seconds"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for r in rows:
    t = r["test"]
    cells = [label, r["run"]] + [f"{100 * t[g][m]:.2f}" for g in groups for m in ("hr@10", "ndcg@10")]
    ratio = "-" if r["run"] == "popularity" else f"{t['all']['hr@10'] / pop['hr@10']:.2f} / {t['all']['ndcg@10'] / pop['ndcg@10']:.2f}"
    print("| " + " | ".join(cells + [ratio, str(r["seconds"])]) + " |")

#!/usr/bin/env bash
# The `l2aug data` command line: exit codes (0 ok, 1 bad data, 2 bad usage) and that the messages
# name the option, file or line at fault. Usage: cli_test.sh <l2aug binary> <fixtures folder>
set -u
l2aug=$1
fixtures=$2
source "$(dirname "$0")/../common/cli_expect.sh"
# The toy MovieLens file is kept under a neutral name (fixtures/README.md); install it as u.data.
mkdir -p "$scratch/movielens"
cp "$fixtures/toy_named/movielens.tsv" "$scratch/movielens/u.data"

expect 0 "Table 1" -- "$l2aug" data stats synthetic:users=300,items=100,topics=5
expect 0 "\"table1\"" -- "$l2aug" data stats --data synthetic:users=300,items=100,topics=5 --json
expect 0 "Cutoff scan" -- "$l2aug" data stats synthetic:users=300,items=100,topics=5 --scan-cutoffs
expect 0 "usage: l2aug data stats" -- "$l2aug" data stats --help
expect 0 "subcommands:" -- "$l2aug" data --help
expect 0 "| movielens | 5 |" -- "$l2aug" data stats "$scratch/movielens" --cutoff 2001-09-20
expect 0 "cache: hit" -- "$l2aug" data stats "$scratch/movielens" --cutoff 2001-09-20
expect 0 "cutoff T: 2001-09-20" -- "$l2aug" data stats "$fixtures/goodreads" --cutoff 1000972800 --no-cache
expect 2 "--cutoff: expected default, auto" -- "$l2aug" data stats synthetic --cutoff yesterday
expect 2 "unknown option --cutof" -- "$l2aug" data stats synthetic --cutof 2020-01-01
expect 2 "--format: unknown format 'csv'" -- "$l2aug" data stats "$scratch/movielens" --format csv
expect 2 "--meta-fraction: expected a fraction" -- "$l2aug" data stats synthetic --meta-fraction 2
expect 2 "--data: synthetic: unknown key 'user'" -- "$l2aug" data stats synthetic:user=5
expect 2 "the data is given twice" -- "$l2aug" data stats synthetic --data synthetic
expect 2 "no data" -- "$l2aug" data stats
expect 2 "unknown subcommand 'stat'" -- "$l2aug" data stat synthetic
expect 2 "--out is required" -- "$l2aug" data export synthetic
expect 1 "no such file or folder" -- "$l2aug" data stats "$scratch/missing"
printf '1\t2\t3\t100\n1\t2\n' >"$scratch/u.data"
expect 1 "u.data:2: expected 4 fields" -- "$l2aug" data stats "$scratch/u.data" --no-cache
mkdir -p "$scratch/nul" "$scratch/order"
printf '1\t2\t3\t88\x001\n' >"$scratch/nul/u.data"  # a NUL in the time field is quoted as \x00
expect 1 "u.data:1: time '88\x001' is neither" -- "$l2aug" data stats "$scratch/nul/u.data" --no-cache
printf '1 10 11\n' >"$scratch/order/Order_item_org_rank.txt"
printf '1 200 100\n' >"$scratch/order/Order_time_org_rank.txt"
expect 1 "Order_time_org_rank.txt:1: times decrease: field 3 (100) is earlier than field 2 (200)" -- \
  "$l2aug" data stats "$scratch/order" --no-cache
expect 0 "1 malformed lines skipped" -- "$l2aug" data stats "$scratch/u.data" --no-cache --skip-malformed --cutoff 50
expect 0 "wrote $scratch/split/" -- "$l2aug" data export synthetic:users=100,items=60,topics=3 --out "$scratch/split"
expect 0 "train.txt" -- ls "$scratch/split"
expect 0 "format goodreads" -- "$l2aug" data export synthetic:users=100,items=60,topics=3 --as goodreads --gzip --out "$scratch/gr"
expect 0 "| goodreads_interactions_synthetic | 60 |" -- "$l2aug" data stats "$scratch/gr" --cutoff 2020-01-01

cli_summary cli_test

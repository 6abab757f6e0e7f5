#!/usr/bin/env python3
"""Which tables and indexes a store's commits wrote: the pages of each commit in a kept write-ahead log, by B-tree.

    dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- commit --mixes storm --batch 400 \
        --batches 300 --runs 1 --keep /tmp/kept
    bench/scripts/wal-pages.py /tmp/kept/storm.db [--last 100]

Reads the frames of the log's current generation (those with its header's salt), groups them into commits (a frame
that carries the database size ends one), and counts each commit's distinct pages by the table or index that owns
them now (SQLite's dbstat table on the kept copy, which reads the log too). A page a commit wrote twice counts once,
as SQLite writes it once per commit. The counts are pages, not times: the same on a busy machine as on a quiet one.
"""
import argparse
import collections
import sqlite3
import struct
import sys


def commits_in(wal_path):
    with open(wal_path, "rb") as f:
        wal = f.read()
    if len(wal) < 32:
        sys.exit(f"{wal_path} is not a write-ahead log (it has {len(wal)} bytes)")
    magic, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">8I", wal[:32])
    if magic not in (0x377F0682, 0x377F0683):
        sys.exit(f"{wal_path} is not a write-ahead log (magic {magic:#x})")
    commits, pages, at = [], [], 32
    while at + 24 + page_size <= len(wal):
        page, db_size, s1, s2 = struct.unpack(">4I", wal[at:at + 16])
        if (s1, s2) != (salt1, salt2):
            break
        pages.append(page)
        if db_size:
            commits.append(set(pages))
            pages = []
        at += 24 + page_size
    return page_size, commits


def owners(db_path):
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {page: name for name, page in connection.execute("SELECT name, pageno FROM dbstat")}
    except sqlite3.OperationalError as error:
        sys.exit(f"this Python's SQLite cannot read dbstat ({error}); Debian's python3 can")
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", help="the kept store; its log is the same name with -wal")
    parser.add_argument("--last", type=int, default=100, help="how many of the last commits to count (default 100)")
    args = parser.parse_args()
    page_size, commits = commits_in(args.store + "-wal")
    if not commits:
        sys.exit("the log holds no whole commit")
    counted = commits[-args.last:]
    owner = owners(args.store)
    by_tree = collections.Counter(owner.get(page, "(free or moved since)") for commit in counted for page in commit)
    total = sum(by_tree.values())
    print(f"{len(counted)} commits of {len(commits)} in the log; {total / len(counted):.1f} distinct pages of "
          f"{page_size} bytes a commit")
    print()
    print("| table or index | pages a commit | share |")
    print("|---|---:|---:|")
    for name, count in by_tree.most_common():
        print(f"| {name} | {count / len(counted):.1f} | {100 * count / total:.1f} % |")


if __name__ == "__main__":
    main()

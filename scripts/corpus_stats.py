"""Print the corpus's composition as Markdown tables (for docs/data.md): python scripts/corpus_stats.py [DIR]."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from falsefriends.corpus import load_corpus


def _table(title: str, counts: dict[str, Counter[int]]) -> str:
    lines = [f"| {title} | hostile | genuine | groups |", "|---|---:|---:|---:|"]
    for key in sorted(counts, key=lambda k: -sum(counts[k].values())):
        c = counts[key]
        lines.append(f"| {key} | {c[1]} | {c[0]} | {c[2]} |")
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/corpus")
    corpus = load_corpus(path)
    print(f"{corpus.summary()}; digest {corpus.digest}; {len(corpus.dropped)} exact duplicates dropped, "
          f"{len(corpus.regrouped)} near-duplicate pairs merged into one group\n")
    for title, key in (("language", "lang"), ("kind", "kind"), ("channel", "channel"), ("file", None)):
        counts: dict[str, Counter[int]] = {}
        groups: dict[str, set[str]] = {}
        for item in corpus.items:
            value = getattr(item, key) if key else item.id.split("-")[0]
            counts.setdefault(value, Counter())[item.label] += 1
            groups.setdefault(value, set()).add(item.group)
        for value, c in counts.items():
            c[2] = len(groups[value])
        print(_table(title, counts) + "\n")
    sites = Counter(item.source.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.") for item in corpus.items)
    print(f"{len(sites)} distinct sites; most items: " + ", ".join(f"{s} ({n})" for s, n in sites.most_common(12)))


if __name__ == "__main__":
    main()

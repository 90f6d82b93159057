#!/usr/bin/env python3
"""Chia coverage of the lexicon tagger and the criteria reader (issue 10):
the share of the Condition, Drug and Procedure mentions annotated in the
Chia corpus that are found, that the reader reads, and the share of the
annotated negated ones whose negation the reader reads.

usage: bench/chia.py [BUILD_DIR] [CHIA_DIR]
  CHIA_MISSES=FILE   also writes the missed mentions of the cancer trials
                     there ("label<TAB>text"), to see what the lexicon lacks
  CHIA_NEGATIONS=FILE  also writes the annotated negated mentions of all
                     trials whose negation is not read ("reading<TAB>label
                     <TAB>mention<TAB>criterion"; reading as below)
  BUILD_DIR  where bench/chia_tag was built (default: build)
  CHIA_DIR   the brat files (default: ../shared/corpus/eval/chia/chia_with_scope)

bench/chia_tag reads each line of a file as one criterion of the file's
section (_inc inclusion, _exc exclusion) and prints its mentions: lexicon
terms, and the words of facts the reader's grammar reads without a concept
(pregnancy, breastfeeding, metastatic, measurable disease, brain
metastases) when it read them; each with its reading: '-' no constraint is
about it, '+' one is, '!' one is under a negation of the text (the NOT an
exclusion adds is not counted: Chia annotates the text, not the section).

An annotated mention is found when a mention of a type the annotation
allows overlaps its span: Condition - disease, condition, site (metastases
are annotated as conditions), marker or fact; Drug - drug, class or
regimen; Procedure - procedure or class (chemotherapy, radiotherapy).
"lexicon" is the same without the grammar's facts (the tagger alone).
It is read when such a mention reads '+' or '!', and read negated when one
reads '!'.

Negation scope. An annotated mention is negated when it is the Arg1 of a
Has_negation relation, or lies inside the span of a Scope that is (Chia:
"no history of X", "X, except Y" negates Y). Scope right is the share of
the negated Condition, Drug and Procedure mentions that are read negated;
false negation is the share of the others (not negated) that are read
negated. A negated mention the reader does not read at all counts as not
right, so the figure is bounded by reading as well as by scope; "when
read" is the share right of the negated mentions the reader reads.

A trial is a cancer trial when its inclusion text names a cancer (a word
stem of cancer, carcinoma, tumour, malignancy, lymphoma, leukaemia,
melanoma, sarcoma, myeloma, glioma, neoplasm). Figures are printed, not
asserted: this is a benchmark, not a test.
"""
import os
import re
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
chia = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus",
    "eval", "chia", "chia_with_scope")
if not os.path.isdir(chia):
    sys.exit(f"chia.py: no Chia corpus at {chia}")
tagger = os.path.join(build, "bench", "chia_tag")
if not os.access(tagger, os.X_OK):
    sys.exit(f"chia.py: no {tagger}: cmake --build {build} --target chia_tag")

ALLOWED = {
    "Condition": {"disease", "condition", "site", "marker", "fact"},
    "Drug": {"drug", "class", "regimen"},
    "Procedure": {"procedure", "class"},
}
CANCER = re.compile(r"\b(cancer|carcinom|tumou?r|malignan|lymphoma|leuka?emia|"
                    r"melanoma|sarcoma|myeloma|glioma|neoplas)", re.I)

txts = sorted(f for f in os.listdir(chia) if f.endswith(".txt"))
texts = {}
hits = {}
for i in range(0, len(txts), 400):
    batch = [os.path.join(chia, f) for f in txts[i:i + 400]]
    out = subprocess.run([tagger] + batch, capture_output=True, text=True,
                         check=True).stdout
    cur = None
    for line in out.splitlines():
        if "\t" not in line:
            cur = os.path.basename(line)
            hits[cur] = []
            continue
        s, e, ty, _, rd = line.split("\t", 4)
        hits[cur].append((int(s), int(e), ty, rd))

cancer_trials = set()
for f in txts:
    with open(os.path.join(chia, f), "rb") as fh:
        raw = fh.read()
    text = raw.decode("utf-8", errors="replace")
    texts[f] = text
    # brat offsets count characters; the tagger's count bytes
    if len(text) != len(raw):
        pos = [0] * (len(raw) + 1)
        b = 0
        for ci, ch in enumerate(text):
            n = len(ch.encode("utf-8", errors="replace"))
            for k in range(n):
                if b + k <= len(raw):
                    pos[b + k] = ci
            b += n
        pos[len(raw)] = len(text)
        hits[f] = [(pos[min(s, len(raw))], pos[min(e, len(raw))], ty, rd)
                   for (s, e, ty, rd) in hits.get(f, [])]
    if f.endswith("_inc.txt") and CANCER.search(text):
        cancer_trials.add(f.split("_")[0])


def read_ann(path):
    """Entities {id: (label, spans, text)} and negated ids of a .ann."""
    ents, negs = {}, set()
    with open(path, encoding="utf-8", errors="replace") as a:
        for line in a:
            parts = line.rstrip("\n").split("\t")
            if line.startswith("T") and len(parts) >= 2:
                head = parts[1].split(" ")
                spans = []
                for piece in " ".join(head[1:]).split(";"):
                    try:
                        s, e = piece.split()
                        spans.append((int(s), int(e)))
                    except ValueError:
                        pass
                if spans:
                    ents[parts[0]] = (head[0], spans,
                                      " ".join(parts[2:]).strip())
            elif line.startswith("R") and len(parts) >= 2:
                rel = parts[1].split()
                if rel and rel[0] == "Has_negation" and len(rel) >= 3:
                    negs.add(rel[1].split(":", 1)[1])
    negated = set()
    for n in negs:
        if n not in ents:
            continue
        label, spans, _ = ents[n]
        if label in ALLOWED:
            negated.add(n)
        elif label == "Scope":
            lo = min(s for s, _ in spans)
            hi = max(e for _, e in spans)
            for t, (l2, sp2, _) in ents.items():
                if l2 in ALLOWED and all(lo <= s and e <= hi
                                         for s, e in sp2):
                    negated.add(t)
    return ents, negated


# counts[(scope, label)] = [lexicon, found, read, total, negated, right,
#                           not negated, false negation, negated and read]
counts = {}
misses = open(os.environ["CHIA_MISSES"], "w") if os.environ.get("CHIA_MISSES") else None
negout = (open(os.environ["CHIA_NEGATIONS"], "w")
          if os.environ.get("CHIA_NEGATIONS") else None)
for f in txts:
    ann = os.path.join(chia, f[:-4] + ".ann")
    if not os.path.exists(ann):
        continue
    trial = f.split("_")[0]
    scopes = ["all"] + (["cancer"] if trial in cancer_trials else [])
    fh = hits.get(f, [])
    ents, negated = read_ann(ann)
    for t, (label, spans, text) in ents.items():
        if label not in ALLOWED:
            continue
        over = [(ty, rd) for (s, e) in spans for (hs, he, ty, rd) in fh
                if hs < e and s < he and ty in ALLOWED[label]]
        lexicon = any(ty != "fact" for ty, _ in over)
        found = bool(over)
        reading = ("!" if any(rd == "!" for _, rd in over) else
                   "+" if any(rd == "+" for _, rd in over) else "-")
        neg = t in negated
        if misses and not found and "cancer" in scopes:
            misses.write(f"{label}\t{text}\n")
        if negout and neg and reading != "!":
            s0 = spans[0][0]
            full = texts[f]
            ls = full.rfind("\n", 0, s0) + 1
            le = full.find("\n", s0)
            negout.write(f"{reading}\t{label}\t{text}\t"
                         f"{full[ls:le if le >= 0 else None].strip()}\n")
        for sc in scopes:
            c = counts.setdefault((sc, label), [0] * 9)
            c[0] += lexicon
            c[1] += found
            c[2] += reading != "-"
            c[3] += 1
            if neg:
                c[4] += 1
                c[5] += reading == "!"
                c[8] += reading != "-"
            else:
                c[6] += 1
                c[7] += reading == "!"


def share(a, b):
    return f"{(a / b if b else 0):.3f}"


print(f"Chia: {len(txts)} files, {len(cancer_trials)} cancer trials "
      f"of {len({f.split('_')[0] for f in txts})}")
print("  trials label      mentions lexicon found  read  | negated scope-right"
      " when-read false-negation")
for sc in ("all", "cancer"):
    tot = [0] * 9
    for label in ("Condition", "Drug", "Procedure"):
        c = counts.get((sc, label), [0] * 9)
        tot = [x + y for x, y in zip(tot, c)]
        print(f"  {sc:6} {label:9} {c[3]:8} {share(c[0], c[3])}   "
              f"{share(c[1], c[3])}  {share(c[2], c[3])} | {c[4]:7} "
              f"{share(c[5], c[4])}       {share(c[5], c[8])}     "
              f"{share(c[7], c[6])}")
    print(f"  {sc:6} {'(all 3)':9} {tot[3]:8} {share(tot[0], tot[3])}   "
          f"{share(tot[1], tot[3])}  {share(tot[2], tot[3])} | {tot[4]:7} "
          f"{share(tot[5], tot[4])}       {share(tot[5], tot[8])}     "
          f"{share(tot[7], tot[6])}")

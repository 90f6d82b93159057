#!/usr/bin/env python3
"""Chia coverage of the lexicon tagger (issue 10): the share of the Condition,
Drug and Procedure mentions annotated in the Chia corpus that the tagger finds.

usage: bench/chia.py [BUILD_DIR] [CHIA_DIR]
  CHIA_MISSES=FILE   also writes the missed mentions of the cancer trials
                     there ("label<TAB>text"), to see what the lexicon lacks
  BUILD_DIR  where bench/chia_tag was built (default: build)
  CHIA_DIR   the brat files (default: ../shared/corpus/eval/chia/chia_with_scope)

A mention is found when a tagger hit overlaps its span and has a type the
annotation allows: Condition - disease, condition, site (metastases are
annotated as conditions) or marker; Drug - drug, class or regimen;
Procedure - procedure or class (chemotherapy, radiotherapy).
A trial is a cancer trial when its inclusion text names a cancer (a word
stem of cancer, carcinoma, tumour, malignancy, lymphoma, leukaemia,
melanoma, sarcoma, myeloma, glioma, neoplasm). Figures are printed, not
asserted: this is a benchmark, not a test.
Negation scope is not measured here (see the issue note).
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
    "Condition": {"disease", "condition", "site", "marker"},
    "Drug": {"drug", "class", "regimen"},
    "Procedure": {"procedure", "class"},
}
CANCER = re.compile(r"\b(cancer|carcinom|tumou?r|malignan|lymphoma|leuka?emia|"
                    r"melanoma|sarcoma|myeloma|glioma|neoplas)", re.I)

txts = sorted(f for f in os.listdir(chia) if f.endswith(".txt"))
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
        s, e, ty, _ = line.split("\t", 3)
        hits[cur].append((int(s), int(e), ty))

cancer_trials = set()
for f in txts:
    if f.endswith("_inc.txt"):
        with open(os.path.join(chia, f), encoding="utf-8", errors="replace") as fh:
            if CANCER.search(fh.read()):
                cancer_trials.add(f.split("_")[0])

# counts[(scope, label)] = [found, total]
counts = {}
misses = open(os.environ["CHIA_MISSES"], "w") if os.environ.get("CHIA_MISSES") else None
for f in txts:
    ann = os.path.join(chia, f[:-4] + ".ann")
    if not os.path.exists(ann):
        continue
    trial = f.split("_")[0]
    scopes = ["all"] + (["cancer"] if trial in cancer_trials else [])
    fh = hits.get(f, [])
    with open(ann, encoding="utf-8", errors="replace") as a:
        for line in a:
            if not line.startswith("T"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            head = parts[1].split(" ")
            label = head[0]
            if label not in ALLOWED:
                continue
            spans = []
            for piece in " ".join(head[1:]).split(";"):
                try:
                    s, e = piece.split()
                    spans.append((int(s), int(e)))
                except ValueError:
                    pass
            if not spans:
                continue
            found = any(hs < e and s < he and ty in ALLOWED[label]
                        for (s, e) in spans for (hs, he, ty) in fh)
            if misses and not found and "cancer" in scopes:
                misses.write(f"{label}\t{' '.join(parts[2:]).strip()}\n")
            for sc in scopes:
                c = counts.setdefault((sc, label), [0, 0])
                c[0] += found
                c[1] += 1

print(f"Chia: {len(txts)} files, {len(cancer_trials)} cancer trials "
      f"of {len({f.split('_')[0] for f in txts})}")
for sc in ("all", "cancer"):
    for label in ("Condition", "Drug", "Procedure"):
        f, t = counts.get((sc, label), [0, 0])
        print(f"  {sc:6} {label:9} found {f:5} of {t:5}  "
              f"{(f / t if t else 0):.3f}")

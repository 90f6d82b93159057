#!/usr/bin/env python3
"""Other cancers' trials offered to colorectal patients (issue #11), run by hand, not in CI.

usage: bench/other_cancers.py PATH/TO/ctmatch [--db INDEX] [--list]

Ingests the whole corpus (../shared/corpus/ctgov-xml) into a fresh index (or uses --db),
matches every devset patient (../shared/devset/patients, all colorectal) against it with
closed trials too and without ineligible ones (what a user is offered), and prints per
patient:
  offered  trials offered in all;
  other    offered trials whose conditions are only lung, breast, pancreatic, gastric,
           prostate or blood cancers, or melanoma (must be 0);
  pan      offered trials whose conditions are only pan-tumour ("solid tumours",
           "advanced cancer", "any cancer"), or baskets whose inclusion text admits any
           cancer (ADMITS below): these must stay offered.
The classes are read here from the conditions with this script's own patterns, not by
ctmatch. --list prints the offending (patient, trial, conditions) rows. Exit status 1 when
an 'other' trial is offered."""
import csv, glob, io, os, re, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared")
if not os.path.isdir(shared):
    shared = "/work/shared"
corpus = os.path.join(shared, "corpus", "ctgov-xml")
patients = sorted(glob.glob(os.path.join(shared, "devset", "patients", "*.json")))

CANCER = r"(cancer|carcinoma|neoplasm|tumou?r|malignan|adenocarcinoma|nsclc|sclc)"
OTHER = {
    "lung": re.compile(r"\b(lung|nsclc|sclc|non-small-cell|pulmonary)\b", re.I),
    "breast": re.compile(r"\bbreast\b", re.I),
    "pancreatic": re.compile(r"\bpancrea", re.I),
    "gastric": re.compile(r"\b(gastric|stomach)\b", re.I),
    "prostate": re.compile(r"\bprostat", re.I),
    "blood": re.compile(r"(leuka?emia|lymphoma|myeloma|myelodysplas|ha?ematologic(al)? (malignan|neoplas|cancer)|blood cancer)", re.I),
    "melanoma": re.compile(r"(?<!non-)(?<!non)\bmelanomas?\b", re.I),  # not non-melanoma skin cancer
}
PAN = re.compile(r"^\s*(advanced |metastatic |refractory |unresectable )*"
                 r"(solid (tumou?rs?|cancers?|neoplasms?|malignanc(y|ies))|cancers?|any cancer|"
                 r"neoplasms?|malignanc(y|ies)|tumou?rs?)\s*$", re.I)
# Trials the classes above take for other cancers' but whose own inclusion text admits any
# cancer: they are baskets and stay open (issue #11).
ADMITS = {"NCT00498979": "Histologically confirmed melanoma or other malignancies"}
SITE = re.compile(r"metasta", re.I)  # "lung metastases" is a site, not lung cancer


def other_class(cond):
    """The other cancer a condition names, or None."""
    if SITE.search(cond) and not re.search(CANCER, cond, re.I):
        return None
    if re.search(r"metastas[ie]s? (to|in) the", cond, re.I):
        return None
    for name, rx in OTHER.items():
        if rx.search(cond) and (name in ("blood", "melanoma") or re.search(CANCER, cond, re.I)):
            if re.search(r"colo|rect|bowel|solid|any|all cancers|gastrointestinal", cond, re.I):
                return None
            return name
    return None


def classify():
    other, pan = {}, {}
    for path in glob.glob(os.path.join(corpus, "*.xml")):
        root = ET.parse(path).getroot()
        nct = root.findtext("id_info/nct_id")
        conds = [c.text or "" for c in root.findall("condition")]
        if not conds:
            continue
        if nct in ADMITS:
            pan[nct] = conds
        elif all(other_class(c) for c in conds):
            other[nct] = conds
        elif all(PAN.match(c) for c in conds):
            pan[nct] = conds
    return other, pan


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ctm = sys.argv[1]
    show = "--list" in sys.argv
    db = sys.argv[sys.argv.index("--db") + 1] if "--db" in sys.argv[:-1] else None
    if not os.path.isdir(corpus):
        sys.exit(f"no corpus at {corpus}")
    other, pan = classify()
    print(f"corpus: {len(other)} trials only for other cancers, {len(pan)} pan-tumour trials")
    if not db:
        db = os.path.join(tempfile.mkdtemp(prefix="ctm-other-"), "idx")
        r = subprocess.run([ctm, "ingest", "--db", db, corpus], capture_output=True, text=True)
        if r.returncode not in (0, 1):
            sys.exit(f"ingest failed ({r.returncode}): {r.stderr.strip()[-300:]}")
    tot = [0, 0, 0]
    rows = []
    print(f"{'patient':8} {'offered':>8} {'other':>6} {'pan':>5}")
    for path in patients:
        pid = os.path.basename(path)[:-5]
        r = subprocess.run([ctm, "match", "--db", db, "--patient", path, "--all-statuses",
                            "--limit", "0", "--format", "csv", "--today", "2026-01-05"],
                           capture_output=True, text=True)
        if r.returncode not in (0, 1):
            sys.exit(f"{pid}: match failed ({r.returncode}): {r.stderr.strip()[-300:]}")
        ids = [row["nct_id"] for row in csv.DictReader(io.StringIO(r.stdout))]
        o = [n for n in ids if n in other]
        p = [n for n in ids if n in pan]
        rows += [(pid, n, "; ".join(other[n])) for n in o]
        print(f"{pid:8} {len(ids):8} {len(o):6} {len(p):5}")
        tot[0] += len(ids)
        tot[1] += len(o)
        tot[2] += len(p)
    print(f"{'total':8} {tot[0]:8} {tot[1]:6} {tot[2]:5}")
    if show:
        for pid, n, c in rows:
            print(f"{pid}\t{n}\t{c}")
    return 1 if tot[1] else 0


if __name__ == "__main__":
    sys.exit(main())

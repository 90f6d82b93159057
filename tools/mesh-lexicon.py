#!/usr/bin/env python3
"""Writes engine/lexicon/mesh_conditions.tsv and mesh_drugs.tsv from the MeSH
terms ClinicalTrials.gov attaches to its records (condition_browse and
intervention_browse), so that the criteria tagger knows the names of the
conditions and medicines trials write about, beyond those curated by hand.

usage: tools/mesh-lexicon.py CORPUS_XML_DIR [MIN_TRIALS]

Only the MeSH vocabulary is taken (names of conditions and drugs, public
facts), never a record's text. A term is left out when:
  - it names a cancer (diseases.tsv and the population logic own those),
  - it is a word the criteria grammar reads itself ("Recurrence", "Disease
    Progression", "Pregnancy", ...: STOP below),
  - any lexicon file already has it (the curated entry wins),
  - fewer than MIN_TRIALS records (default 1: every term a record carries)
    carry it.
Every term becomes a concept whose outcome is unknown for a patient: a
condition (conditions.tsv's type) or a medicine with no anticancer parent.
Re-run after the curated files change; the output is sorted and stable.
"""
import glob, os, re, sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
LEX = os.path.join(HERE, "..", "engine", "lexicon")

CANCER = re.compile(
    r"neoplas|cancer|carcinom|tumou?r|lymphom|leuka?emi|melanom|sarcom|myelom|"
    r"gliom|blastom|mesotheliom|thymom|seminom|germinom|ependymom|meningiom|"
    r"adenom|papillom|carcinoid|macroglobulin|myelodysplast|mycosis fungoides|"
    r"sezary|histiocyt|polycythemia|thrombocythemia|myeloproliferat|metasta|"
    r"malignan|oncolog|neurofibrom|hamartom|\bpolyp|precancer|dysplas|"
    r"lymphoprolif|paraprotein|gammopath|cowden|lynch|li-fraumeni|"
    r"adenomatous|waldenstrom|plasmacyt|astrocyt|oligodendro|neuroendocrine|"
    r"chordom|teratom|leiomyom|fibrom|lipom|myoma\b|angiom|hemangiom|gangliom|"
    r"paragangliom|pheochromocytom|insulinom|gastrinom|schwannom|neurom\b",
    re.I)
BRAIN = re.compile(r"brain|central nervous system|\bcns\b|cerebr|mening|intracran", re.I)
# Words the grammar reads, or too general to be a condition of their own.
STOP = {
    "disease", "diseases", "syndrome", "recurrence", "disease progression",
    "pregnancy", "lactation", "death", "body weight", "emergencies",
    "critical illness", "chronic disease", "acute disease", "pathologic processes",
    "signs and symptoms", "disease susceptibility", "genetic predisposition to disease",
    "infection", "infections", "communicable diseases", "inflammation", "pain",
    "wounds and injuries", "neoplasm metastasis", "neoplasms", "disease attributes",
    "virus diseases", "bacterial infections", "toxicity", "drug-related side effects and adverse reactions",
    "body weight changes", "weight loss", "aging", "birth weight", "obesity",
    "overweight", "pathological conditions, anatomical", "pathological conditions, signs and symptoms",
    "syndactyly", "rare diseases", "congenital abnormalities", "abnormalities, multiple",
    "pregnancy complications", "premature birth", "infertility", "anemia",
    "neutropenia", "thrombocytopenia", "hyperbilirubinemia", "jaundice",
    "fever", "hypersensitivity", "drug hypersensitivity", "immune system diseases",
    "hepatitis", "hepatitis a", "vaccines", "antibodies", "antibodies, monoclonal",
    "pharmaceutical solutions", "immunoglobulins", "gamma-globulins",
    "immunoglobulin g", "adjuvants, immunologic", "antineoplastic agents",
    "antineoplastic agents, phytogenic", "antineoplastic agents, alkylating",
    "antineoplastic agents, immunological", "antineoplastic agents, hormonal",
    "antineoplastic combined chemotherapy protocols", "anti-bacterial agents",
    "antibodies, monoclonal, humanized", "immunologic factors", "hormones",
    "antimetabolites", "antimetabolites, antineoplastic", "alkylating agents",
    "protein kinase inhibitors", "enzyme inhibitors", "angiogenesis inhibitors",
    "immune checkpoint inhibitors", "tubulin modulators", "topoisomerase inhibitors",
    "topoisomerase i inhibitors", "topoisomerase ii inhibitors", "antiviral agents",
    "anti-infective agents", "analgesics", "anesthetics", "dermatologic agents",
    "gastrointestinal agents", "cardiovascular agents", "central nervous system agents",
    "respiratory system agents", "reproductive control agents", "vitamins",
    "micronutrients", "trace elements", "mitosis modulators", "water",
    "sodium chloride", "oxygen", "glucose", "radiation", "radiotherapy",
    "surgery", "transplantation", "calcium", "iron", "potassium", "magnesium",
    "albumins", "bilirubin", "creatinine", "hemoglobins", "insulin",
    "cholesterol", "steroids", "adrenal cortex hormones", "glucocorticoids",
    "interferons", "interleukins", "cytokines", "tumor necrosis factor-alpha",
}


# Plural head nouns of MeSH headings, written in the singular too.
PLURAL = {"diseases", "disorders", "infections", "syndromes", "defects",
          "malformations", "fractures", "ulcers", "lesions", "complications",
          "reactions", "neuropathies", "hemorrhages", "effects",
          "agents", "inhibitors", "antagonists", "agonists", "blockers",
          "contraceptives", "antibiotics", "vaccines", "hormones"}


def norm(s):
    # as the tagger folds: "Addison's disease" is "Addison disease"
    s = re.sub(r"(?<=[a-z0-9])'s\b", "", s.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", s)).strip()


def known_terms():
    seen = set()
    for path in glob.glob(os.path.join(LEX, "*.tsv")):
        if os.path.basename(path).startswith("mesh_"):
            continue
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            for t in [f[1] if len(f) > 1 else ""] + (f[2].split("|") if len(f) > 2 else []):
                if t:
                    seen.add(norm(t))
    return seen


def variants(term):
    """MeSH writes 'Hypertension, Pulmonary': also 'Pulmonary Hypertension';
    a plural heading also in the singular."""
    out = []
    if ", " in term and term.count(", ") == 1:
        a, b = term.split(", ")
        out.append(f"{b} {a}")
    for t in [term] + out[:]:
        w = t.split(" ")
        last = w[-1].lower()
        if last in ("deficiencies", "abnormalities", "injuries", "allergies"):
            out.append(" ".join(w[:-1] + [w[-1][:-3] + "y"]))
        elif last in PLURAL:
            out.append(" ".join(w[:-1] + [w[-1][:-1]]))
    return [v for v in out if v != term]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src, min_n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
    counts = {"condition": {}, "drug": {}}
    for path in sorted(glob.glob(os.path.join(src, "*.xml"))):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for tag, kind in (("condition_browse", "condition"), ("intervention_browse", "drug")):
            terms = {m.text.strip() for m in root.findall(f"{tag}/mesh_term") if m.text}
            for t in terms:
                counts[kind][t] = counts[kind].get(t, 0) + 1
    seen = known_terms()
    for kind, fname in (("condition", "mesh_conditions.tsv"), ("drug", "mesh_drugs.tsv")):
        rows = []
        for term, n in sorted(counts[kind].items(), key=lambda kv: kv[0].lower()):
            if n < min_n or CANCER.search(term) or term.lower() in STOP:
                continue
            # the brain grammar reads "CNS disease", "brain disease" as
            # metastases (its permission and exception forms too)
            if kind == "condition" and BRAIN.search(term):
                continue
            if len(norm(term)) < 4 or norm(term) in seen:
                continue
            # "Angina, Unstable": the curated "angina" and the grammar's
            # qualifiers read it already
            if ", " in term and norm(term.split(", ")[0]) in seen:
                continue
            syn = [v for v in variants(term) if norm(v) not in seen and v.lower() not in STOP
                   and len(norm(v)) >= 4]
            for v in [term] + syn:
                seen.add(norm(v))
            rows.append(f"{kind}\t{term}\t{'|'.join(syn)}\t")
        with open(os.path.join(LEX, fname), "w", encoding="utf-8") as f:
            f.write(f"# Generated by tools/mesh-lexicon.py from the MeSH {kind} terms of the\n"
                    f"# ClinicalTrials.gov records in the corpus (terms on >= {min_n} records,\n"
                    f"# no cancers, none a curated file has). Do not edit; edit the curated\n"
                    f"# files or the script's STOP list, then re-run it.\n")
            f.write("\n".join(rows) + "\n")
        print(f"{fname}: {len(rows)} concepts")


main()

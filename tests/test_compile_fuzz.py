"""Mutated campaign files: the compiler gives clean, positioned errors, never a crash or a hang.

Each case applies one to three random edits a maintainer could make by mistake (a character
deleted or typed, a line lost, doubled or moved, an indentation changed, a keyword misspelled,
a number with a comma or thousands of digits) to a campaign that uses every construct. 50 cases by default,
1,000 in CI (tests/profiles.py);
`BILAN_FUZZ_CASES=5000 pytest tests/test_compile_fuzz.py` runs more.
"""

from __future__ import annotations

import os
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from profiles import by_profile

from bilan.dsl.compiler import compile_source
from bilan.dsl.diagnostics import SourceError

SEED = """campagne 2009 "Bilan"
    source "Circulaire"
    ouverture 2010-02-23
    date limite 2010-04-30
échelle E D C B A
type oui_non : oui "Oui" | non "Non"
type oui_non_nc : oui "Oui" | non "Non" | non_concerne "Non concerné"
type categorie "Catégorie" :
    1 "CHU" "Centres hospitaliers"
    2 "CH"
type discipline : digestive "Digestive" | urologique "Urologique" | cardiaque "Cardiaque"
fiche etablissement "Établissement"
    champ finess "FINESS" finess
    champ categorie "Catégorie" categorie
        modification signalée
    champ chirurgie "Chirurgie ?" oui_non
    champ disciplines "Disciplines" plusieurs discipline
        si chirurgie = oui
        erreur vides si nombre(disciplines) = 0 : "Au moins une discipline."
données sae "SAE"
    champ medecine "Médecine" entier 9 chiffres
chapitre II "CLIN"
    intertitre "1. Instance"
    note "Une note."
    question 2 reunions "Combien de réunions ?"
        entier 2 chiffres
        unité "réunions"
        consigne "Compter les réunions
            plénières."
    question 3 groupes "Groupes ?"
        entier 2 chiffres de 0 à 50
        avertissement beaucoup si groupes > reunions + 20 : "Beaucoup de groupes."
    item O211 "Réunions" sur 6
        preuve "Comptes rendus."
        0 point si reunions = 0 : "aucune"
        2 points si reunions entre 1 et 2
        6 points si reunions >= 3
    item O212 "Groupes" sur 4
        1 point si groupes >= 1 et groupes <= reunions
        4 points si groupes >= 1 et groupes > reunions
chapitre III "Équipe"
    question 1 eohh "ETP"
        décimal 2 chiffres 2 décimales
        ligne medecin "Médecin"
        ligne infirmier "Infirmier"
    valeur etp "ETP" = eohh.medecin + eohh.infirmier
        unité "ETP"
    question 2 formation "Formations"
        colonne formes "Formés" entier 3 chiffres
        colonne heures "Heures" entier 4 chiffres
        ligne medecins "Médecins"
    question 3 correspondants "Correspondants ?"
        oui_non
        si oui "Si OUI"
            question correspondants_nombre "Combien ?"
                entier 2 chiffres
    item M11 "ETP" sur 6
        6 points si etp > 0
    item M12 "Correspondants" sur 3
        maximum 2 si chirurgie = non
        2 points si correspondants = oui
        1 point supplémentaire si chirurgie = oui et (correspondants_nombre >= 2 ou disciplines contient urologique)
    item M13 "Protocole" sur 1
        1 point si formation.medecins.formes >= 1
indicateur ICALIN "Indice" sur 20
    non concerné si categorie = 2 et chirurgie = non : "sans objet"
    fonction O "Organisation" sur 10 : O211, O212
    fonction M "Moyens" sur 10
        sous-fonction M1 "Équipe" sur 6 : M11
        groupe M2 "Autres" sur 4 : M12, M13
    classes par categorie
        1   5   10  15  18
        2   4   8   12  16
indicateur ICSHA "Hydro-alcooliques"
    non calculable si non present(sae) classe F : "SAE absente"
    valeur 100 × etp / sae.medecine
    décimales 1
    classes fixes 10 30 70 90
indicateur SCORE "Score" sur 100
    selon les indicateurs concernés
        ICALIN, ICSHA : (ICALIN × 4) + (min(ICSHA, 100) × 0.2)
        ICSHA : min(ICSHA, 100)
"""

KEYWORDS = ["question", "item", "si", "sur", "point", "points", "valeur", "indicateur", "non", "et", "ou", "chiffres"]
CHARACTERS = ['"', "(", ")", ",", "\t", " ", "    ", "\n", "0", "7", "x", "é", "#", ":", "@", "×", "-", ".", "’"]
GRAMMAR_TERMS = ("__ANON", "_NL", "_INDENT", "$END", "(?:", "\\d", "Token(", "Tree(", "NAME", "RPAR")
CASES = int(os.environ.get("BILAN_FUZZ_CASES", by_profile(50, 1000)))
CHUNK = 50


def mutate(source: str, rng: random.Random) -> str:
    lines = source.split("\n")
    kind = rng.randrange(9)
    i = rng.randrange(len(lines))
    if kind == 0 and source:  # a character lost
        at = rng.randrange(len(source))
        return source[:at] + source[at + 1 :]
    if kind == 1:  # a character typed
        at = rng.randrange(len(source) + 1)
        return source[:at] + rng.choice(CHARACTERS) + source[at:]
    if kind == 2:
        lines.insert(i, lines[i])
    elif kind == 3:
        del lines[i]
    elif kind == 4 and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif kind == 5:  # indentation changed
        stripped = lines[i].lstrip(" ")
        width = max(0, len(lines[i]) - len(stripped) + rng.choice([-4, -2, -1, 1, 2, 4]))
        lines[i] = rng.choice([" " * width, "\t" * (width // 4)]) + stripped
    elif kind == 6:  # a word misspelled or replaced by a keyword
        words = list(re.finditer(r"[^\W\d]\w*", lines[i]))
        if words:
            w = rng.choice(words)
            letters = w.group()
            cut = rng.randrange(len(letters))
            new = rng.choice([letters[:cut] + letters[cut + 1 :], letters + letters[-1], rng.choice(KEYWORDS)])
            lines[i] = lines[i][: w.start()] + new + lines[i][w.end() :]
    elif kind == 7:  # a number with a comma, or of thousands of digits
        numbers = list(re.finditer(r"\d+(\.\d+)?", lines[i]))
        if numbers:
            n = rng.choice(numbers)
            new = rng.choice([n.group().replace(".", ",") + ",5", "9" * rng.choice([13, 400, 5000]), "0.0000000000001"])
            lines[i] = lines[i][: n.start()] + new + lines[i][n.end() :]
    elif kind == 8:  # the file cut short
        return source[: rng.randrange(len(source) + 1)]
    return "\n".join(lines)


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a liveness guard, not a speed test: the limit is generous)."""

    def expire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(source: str) -> None:
    """Compiles, or fails with diagnostics that are positioned in the file and in French."""
    try:
        with deadline(30):
            compile_source(source, "f.bilan")
    except SourceError as exc:
        assert exc.diagnostics
        last_line = source.count("\n") + 2
        for d in exc.diagnostics:
            assert 1 <= d.span.line <= last_line and d.span.column >= 1, (d, source)
            assert d.message and not any(term in d.message for term in GRAMMAR_TERMS), (d.message, source)
        exc.render()
    except Hang:
        pytest.fail(f"the compiler hung on:\n{source}")


def test_the_seed_compiles() -> None:
    compile_source(SEED, "seed.bilan")


@pytest.mark.parametrize("chunk", range((CASES + CHUNK - 1) // CHUNK))
def test_mutated_sources_get_clean_errors(chunk: int) -> None:
    for case in range(chunk * CHUNK, min(CASES, (chunk + 1) * CHUNK)):
        rng = random.Random(case)
        source = SEED
        for _ in range(rng.randint(1, 3)):
            source = mutate(source, rng)
        try:
            check(source)
        except AssertionError as exc:
            raise AssertionError(f"case {case}: {exc}") from None

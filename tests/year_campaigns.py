"""A small pair of campaigns for the year-change tests: 2009, and a 2010 that renames a question,
one of its rows, an option and an item, and changes the rest only where a test says so."""

from __future__ import annotations

from bilan.dsl.compiler import compile_source
from bilan.engine.model import Campaign
from bilan.yearchange.correspondence import Correspondence, correspond

OLD = """campagne 2009 "Test"
    ouverture 2010-02-23
    date limite 2010-04-30
échelle E D C B A
type avis : favorable "Favorable" | defavorable "Défavorable"
chapitre II "CLIN"
    question 2 reunions "Combien ?"
        entier 2 chiffres
        ligne plenieres "Plénières"
        ligne groupes "Groupes"
    question 3 usagers "Avis ?"
        avis
    question 4 nom "Nom du président"
        texte
        facultatif
    item O211 "Réunions" sur 6
        0 point si reunions.plenieres = 0
        2 points si reunions.plenieres entre 1 et 2
        6 points si reunions.plenieres >= 3
    item O221 "Usagers" sur 2
        0 point si usagers = defavorable
        2 points si usagers = favorable : "avis favorable"
indicateur ICALIN "Indice" sur 8
    O211, O221
"""

# 2010: `reunions` is `seances` (its row `plenieres` is `pleniere`), option `favorable` is `pour`,
# item O221 is O222; every condition uses the new names, so that nothing else changed.
NEW = (
    OLD.replace("campagne 2009", "campagne 2010")
    .replace('question 2 reunions "Combien ?"\n', 'question 2 seances "Combien ?"\n        renomme de reunions\n')
    .replace('ligne plenieres "Plénières"', 'ligne pleniere "Plénières" renomme de plenieres')
    .replace("reunions.plenieres", "seances.pleniere")
    .replace('favorable "Favorable"', 'pour "Favorable" renomme de favorable')
    .replace("usagers = favorable", "usagers = pour")
    .replace('item O221 "Usagers" sur 2\n', 'item O222 "Usagers" sur 2\n        renomme de O221\n')
    .replace("O211, O221", "O211, O222")
)


def compiled(text: str, name: str = "t.bilan") -> Campaign:
    return compile_source(text, name)


def pair(old: str = OLD, new: str = NEW) -> Correspondence:
    return correspond(compiled(old, "old.bilan"), compiled(new, "new.bilan"))


def o221_back_to_2009(variant: str) -> str:
    """variante-2010 with O221 back to 2 points while O211 stays at 5: its items no longer add up
    to ICALIN's 100, which only bilan check's analysis of maxima sees."""
    edited = variant.replace('membre du CLIN" sur 3', 'membre du CLIN" sur 2').replace(
        "3 points si usagers_convoques = oui", "2 points si usagers_convoques = oui"
    )
    assert edited != variant
    return edited

"""The `bilan --demo` declaration, shipped inside the package (a copy of examples/chu-exemple.toml)
so the demo works from an installed wheel where examples/ does not exist."""

from __future__ import annotations

from bilan.engine.model import Campaign
from bilan.engine.result import Declaration
from bilan.exports.answers_toml import parse_answers

DEMO_TOML = """\
# CHU exemple (fictitious) — category 1 (CHR-CHU), public, surgery in all 11 disciplines,
# emergency department. Every item at its maximum: ICALIN 100, ICATB 20, SURVISO 10 (9 of 11
# disciplines), ICSHA above 100 % (capped at 100 in the score agrégé) → score agrégé 100.

[bilan]
campagne = 2009

[etablissement]
finess = "750712184"
raison_sociale = "CHU exemple"
statut = "public"
categorie = 1
chirurgie = "oui"
urgences = "oui"
postcure = "non"
disciplines = [
    "cardiaque", "digestive", "generale", "pediatrique", "orthopedique", "plastique", "thoracique",
    "gyneco", "neurochirurgie", "ophtalmo_orl", "urologique",
]

[declarant]
nom = "Durand"
prenom = "Hélène"
fonction = "Praticien hygiéniste, responsable de l’EOHH"
telephone = "01 42 16 00 00"
courriel = "helene.durand@chu-exemple.fr"
courriel_directeur = "direction.generale@chu-exemple.fr"

[reponses]
reunions_clin = 4
reunions_groupes = 6
usagers_convoques = "oui"
services_total = 40
correspondants = "oui"
projet = "oui"
projet_objectifs = "oui"
com = "oui"
com_objectifs = "oui"
livret = "oui"
livret_information = "oui"
programme = "oui"
rapport = "oui"
aes_protocole = "oui"
aes_declaration = "oui"
aes_prevention = "oui"
bmr_programme = "oui"
ecs = "oui_seuil"
enquete_prevalence = "oui"
enquete_incidence = "oui"
laboratoire = "interne"
labo_surveillance = "oui"
responsable_signalement = "oui"
formation_programme = "oui"
formation_plan = "oui"
clin_plan_formation = "oui"
evaluation = "oui"
audit = "oui"
sarm_patients = 250
commission_atb = "oui"
commission_atb_reunions = 3
referent_atb = "oui"
antibioprophylaxie = "oui"
antibiotherapie = "oui"
antibiotherapie_urgences = "oui"
liste_atb = "oui"
liste_controlee = "oui"
duree_limitee = "oui"
connexion = "oui"
prescription = "oui"
prescription_etendue = "totale"
formation_prescripteurs = "oui"
evaluation_atb = "oui"
surveillance_ddj = "oui"
volume_sha = 20000.5

[reponses.eohh]
medecin = 2.5
pharmacien = 0.5
cadre_infirmier = 1
infirmier = 4
technicien = 1
secretaire = 1

[reponses.services_correspondants]
medical = 30
paramedical = 35

[reponses.programme_avis]
cme = "oui"
cssi = "oui"
ca = "oui"
chsct = "oui"

[reponses.rapport_avis]
cme = "oui"
cssi = "oui"
ca = "oui"
chsct = "oui"

[reponses.protocoles]
mains = "oui"
standard = "oui"
sondage = "oui"
intravasculaires = "oui"
isolement = "oui"
escarres = "oui"
pansements = "oui"
antiseptiques = "oui"
desinfectants = "oui"
dm = "oui"
locaux = "oui"
dechets = "oui"
linge = "oui"

[reponses.iso.site_operatoire]
disciplines = 9
reseau = "oui"

[reponses.diffusion]
enquetes = "oui"
laboratoire = "oui"

[reponses.formation_nouveaux]
recrutes = "oui"
interimaires = "oui"
etudiants = "oui"

[reponses.formation_personnel.medecins]
formes = 40
heures = 300
[reponses.formation_personnel.infirmiers]
formes = 400
heures = 2400
[reponses.formation_personnel.autres]
formes = 100
heures = 500

[reponses.ddj]
j01a = 10
j01b = 0
j01c = 200
j01d = 80
j01e = 10
j01f = 20
j01g = 15
j01m = 60
j01x = 25
total = 420

[sae]
medecine = 300000
chirurgie = 200000
reanimation = 20000
obstetrique = 50000
ssr = 40000
sld = 30000
psychiatrie = 20000
hemodialyse = 10000
had = 5000
urgences = 100000
jh_complete = 550000

[sarm_2007]
patients = 260
journees = 540000
[sarm_2008]
patients = 255
journees = 545000
"""


def demo_declaration(campaign: Campaign) -> Declaration:
    return parse_answers(DEMO_TOML, campaign, "démo (chu-exemple.toml)")

" Vim syntax file for .bilan campaign files (grammar: dsl/bilan.lark).
" Its keywords are the grammar's: tests/test_editors.py fails when they differ.

if exists("b:current_syntax")
  finish
endif

syn case match
" the usual letters, accented ones included, but not × (215) nor ÷ (247), which are operators
syn iskeyword @,48-57,_,192-214,216-246,248-255
" The look-behinds below (a name after its keyword) use the backtracking engine (\%#=1) and look
" back 40 bytes at most (\@40<=): with Vim's default engine and an unbounded look-behind, colouring
" the 2009 campaign took four times as long. `bilan fmt` leaves one space after a keyword.

syn keyword bilanConditional si alors sinon
syn keyword bilanOperatorWord et ou non entre dans contient
syn keyword bilanKeyword a à avec avertissement calculable campagne champ chapitre chiffres classe classes
syn keyword bilanKeyword colonne concerne concerné concernes concernés consigne courriel date de
syn keyword bilanKeyword decimal décimal decimales décimales donnees données echelle échelle entier erreur
syn keyword bilanKeyword exclu exemple facultatif fiche finess fixes fonction groupe indicateur indicateurs
syn keyword bilanKeyword intertitre item les ligne limite manquante maximum modification note ouverture par
syn keyword bilanKeyword plusieurs point points preuve question reference référence reponses réponses sans
syn keyword bilanKeyword selon signalee signalée source supplementaire supplémentaire supplementaires
syn keyword bilanKeyword supplémentaires sur telephone téléphone texte type unite unité valeur
syn keyword bilanKeyword affiche affiché calcule calculé plausible renomme renommé
syn match bilanKeyword "\<sous-fonction\>"

syn match bilanNumber "\<\d\+\%(\.\d\+\)\?\>"
syn match bilanDate "\<\d\{4}-\d\{2}-\d\{2}\>"
" a question's number may end with a letter (3.2.a)
syn match bilanNumber "\%#=1\%(\<question\s\+\)\@40<=\d\+\%(\.\%(\d\+\|\l\)\)*"

syn match bilanOperator "<=\|>=\|!=\|≠\|≤\|≥\|=\|<\|>\|+\|-\|\*\|×\|/\|≈\|\~"

syn match bilanFunction "\<\k\+\ze\s*("
" an item code with its index, A11(1): not a call
syn match bilanItemCode "\<\u\w*(\d\+)"

" the name a line declares: after its keyword, before its title (or the ':' of a type)
syn match bilanDefinition "\%#=1\%(\<\%(sous-fonction\|fonction\|groupe\|champ\|item\|indicateur\|valeur\|fiche\|données\|donnees\|ligne\|colonne\|type\)\s\+\)\@40<=\%(\d\)\@!\k\+\%((\d\+)\)\?\ze\s*[\":]"
syn match bilanDefinition "\%#=1\%(\<question\s\+\%(\d\+\%(\.\%(\d\+\|\l\)\)*\s\+\)\?\)\@40<=\%(\d\)\@!\k\+"
syn match bilanDefinition "\%#=1\%(\<\%(erreur\|avertissement\)\s\+\)\@40<=\k\+\ze\s\+si\>"
syn match bilanSection "\%#=1\%(\<chapitre\s\+\)\@40<=[IVXLC]\+\>"

syn region bilanString start=+"+ skip=+\\.+ end=+"+ contains=bilanEscape
syn match bilanEscape "\\." contained
syn match bilanComment "#.*$" contains=@Spell

hi def link bilanConditional Conditional
hi def link bilanOperatorWord Operator
hi def link bilanKeyword Keyword
hi def link bilanNumber Number
hi def link bilanDate Number
hi def link bilanOperator Operator
hi def link bilanFunction Function
hi def link bilanItemCode Identifier
hi def link bilanDefinition Function
hi def link bilanSection Function
hi def link bilanString String
hi def link bilanEscape SpecialChar
hi def link bilanComment Comment

let b:current_syntax = "bilan"

" .bilan campaign files
autocmd BufRead,BufNewFile *.bilan setfiletype bilan

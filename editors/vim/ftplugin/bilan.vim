" .bilan files: blocks are indented with 4 spaces, never a tab (the compiler refuses tabs)
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal expandtab shiftwidth=4 softtabstop=4 comments=:# commentstring=#\ %s
let b:undo_ftplugin = "setlocal expandtab< shiftwidth< softtabstop< comments< commentstring<"

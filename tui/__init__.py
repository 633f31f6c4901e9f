"""The entry app (Textual): keyboard-driven entry of one establishment's bilan over the store."""

"""The entry layer: one declaration being entered, without any screen.

It owns every decision of entry — what a key does to the current field, which field comes next,
whether an answer is stored or refused and why, who may change what today, when a declaration may
be validated — and returns outcomes that a screen only has to render. The Textual app is one
client; a web front end or a validators' console would be others.
"""

"""Keys in order: the app hands each key to the active screen and waits until it is fully applied.
A paste is handed over the same way, as the keys it stands for, where a box takes text.

Textual delivers a key to the widget that has the focus by posting it to that widget's queue, and
moves the focus later (`focus()` is scheduled). Keys typed ahead (SSH delivers them in bursts)
were thus applied to the question the focus was leaving. Screens of this app keep no focused
widget: the app awaits `KeyScreen.take_key` for one key before it reads the next, so an answer,
the next question, a branch opening, a page or a dialog are all in place for the following key.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import Screen

from bilan.entry.keystrokes import pasted_keys

ResultType = TypeVar("ResultType")


class KeyScreen(Screen[ResultType], Generic[ResultType]):
    """A screen that takes the app's keys one at a time (see `BilanApp.on_event`)."""

    AUTO_FOCUS = None  # no widget takes the keys away from the screen

    async def take_key(self, key: str, character: str | None) -> bool:
        """Apply one key completely; False if neither the screen nor a binding knows it.

        A screen just pushed may not be composed yet: the key waits until it is (Textual sets
        `_mounted_event` once the screen's compose and mount handlers have run).
        """
        await self._mounted_event.wait()
        if await self._binding(key, priority=True):
            return True
        if await self.on_key_press(key, character):
            return True
        return await self._binding(key, priority=False)

    async def on_key_press(self, key: str, character: str | None) -> bool:
        """The screen's own keys (typing in a box, moving in a list); True if the key was used."""
        return False

    async def take_paste(self, text: str) -> None:
        """A paste (the terminal brackets it): refused, unless the screen has a box to type into
        (it then overrides this with `type_pasted`)."""
        self.app.notify("rien à coller ici : le collage va dans une case de saisie", severity="warning")

    async def type_pasted(self, text: str, number: bool = False) -> str | None:
        """A paste's characters taken as typed keys, in order (into a number box if `number`); the
        refusal message if the paste cannot be taken (see entry.keystrokes.pasted_keys)."""
        keys = pasted_keys(text, number)
        if isinstance(keys, str):
            return keys
        for key, character in keys:
            await self.take_key(key, character)
        return None

    async def _binding(self, key: str, priority: bool) -> bool:
        active = self.active_bindings.get(key)
        if active is None or active.binding.priority != priority or not active.enabled:
            return False
        return await self.app.run_action(active.binding.action, active.node)

"""The entry screen: one page of the form (a fiche or a chapter), the scores and checks beside it.

It decides nothing: each key goes to the entry cursor (`bilan.entry.cursor`), and the screen draws
what the outcome says — the boxes that changed, questions shown or hidden, the notice under the
field, the panels, a new page. F3 and F4 switch the keys to the chapter list or the checks list.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.widgets import Footer, Header, Label, Static

from bilan.engine.model import NumberType, TextType
from bilan.engine.result import CheckResult
from bilan.entry.cursor import EntryCursor, Outcome
from bilan.entry.session import EntrySession
from bilan.entry.validation import field_title
from bilan.tui.dialogs import ReadDialog
from bilan.tui.jump import resolve
from bilan.tui.keys import KeyScreen
from bilan.tui.panels import Entry, PickList, ScorePanel, check_entries
from bilan.tui.question_view import Cursor, QuestionView, section_views

WIDE = 140  # from this width the chapter list stays beside the questions
CHAPTER_TITLE = 16  # characters of a chapter's title in that list: its count stays on the line (width 34)


class EntryScreen(KeyScreen[None]):
    """Questions of one page at a time; every answer is stored the moment it is entered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Aide", priority=True),
        Binding("ctrl+q", "app.quit", "Quitter", priority=True),
        Binding("f2", "explain", "Consigne", priority=True),
        Binding("f3", "chapters", "Chapitres", priority=True),
        Binding("f4", "checks", "Contrôles", priority=True),
        Binding("ctrl+g", "jump", "Aller à", priority=True),
        Binding("escape", "leave", "Accueil", priority=True),
    ]
    END_OF_FORM = "recap"  # the app's action after Entrée on the last question

    def __init__(self, session: EntrySession, cursor: EntryCursor) -> None:
        super().__init__()
        self.session = session
        self.cursor = cursor
        self.mode = "questions"  # or "chapters" (F3), "checks" (F4)
        self.shown_page = -1
        self.current_question: str | None = None
        self.views: dict[str, QuestionView] = {}  # the page's questions by name

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield PickList(id="chapters")
            yield VerticalScroll(id="questions", can_focus=False)
            with Vertical(id="side"):
                yield Label("Scores", classes="side-title")
                yield ScorePanel(id="scores")
                yield Label("Contrôles (F4)", classes="side-title")
                yield PickList(id="checks")
        yield Static("", id="status")
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        await self.show_page()

    # ------------------------------------------------------------------ keys

    async def on_key_press(self, key: str, character: str | None) -> bool:
        if self.mode != "questions":
            return await self._list_key(key)
        outcome = self.cursor.press(key, character)
        if not outcome.handled:
            return False
        await self.render_outcome(outcome)
        return True

    async def take_paste(self, text: str) -> None:
        """Into the number or text box under the cursor, as typed (a choice is not pasted: « oui »
        would answer Oui with its « o », then type « u » and « i » into the questions after)."""
        field = self.cursor.field
        if self.mode != "questions" or field is None or not isinstance(field.type, NumberType | TextType):
            self._status(Outcome(refusal="collage : seulement dans une case de nombre ou de texte"))
            return
        problem = await self.type_pasted(text, number=isinstance(field.type, NumberType))
        if problem:
            self._status(Outcome(refusal=problem))

    async def _list_key(self, key: str) -> bool:
        panel = self.query_one("#" + self.mode, PickList)
        if key in ("up", "down"):
            panel.move(1 if key == "down" else -1)
        elif key == "enter":
            entry = panel.current
            await self._close_list()
            if entry is not None and entry.target is not None:
                await self._jump_to_entry(entry)
        elif key == "j" and self.mode == "checks":
            entry = panel.current
            if entry is not None and entry.check:
                await self.ask_justification(entry.check)
        else:
            return True  # the list holds the keys until Échap, F3 or F4: none reaches a question
        return True

    async def _jump_to_entry(self, entry: Entry) -> None:
        if isinstance(entry.target, int):
            await self.render_outcome(self.cursor.go_to_page(entry.target))
            return
        campaign = self.session.campaign
        target = str(entry.target)
        if target not in campaign.fields:
            question = campaign.questions[target]
            target = next((f.name for f in question.fields if f.name in self.session.result.visible), target)
        await self.render_outcome(self.cursor.go_to(target))

    # ------------------------------------------------------------------ drawing

    async def render_outcome(self, outcome: Outcome) -> None:
        """Draw what one key did: boxes, visibility, panels, the status line, a new page."""
        if outcome.page_changed or self.cursor.position.page != self.shown_page:
            await self.show_page()
        else:
            if outcome.answer is not None and outcome.answer.stored:
                self.refresh_state()
            self._draw_cursor()
        self._status(outcome)
        if outcome.end_of_form:
            await self.app.run_action(self.END_OF_FORM)
        if outcome.justify is not None:
            await self.ask_justification(outcome.justify.name)

    async def show_page(self) -> None:
        page = self.cursor.page
        box = self.query_one("#questions", VerticalScroll)
        await box.remove_children()
        widgets = section_views(page)
        await box.mount_all(widgets)
        self.views = {w.question.name: w for w in widgets if isinstance(w, QuestionView)}
        self.shown_page = self.cursor.position.page
        self.current_question = None
        box.scroll_home(animate=False)
        self.refresh_state()

    def _view(self, question: str) -> QuestionView | None:
        return self.views.get(question)

    def _draw_question(self, view: QuestionView, notes: dict[str, Text] | None = None) -> None:
        """Draw one question from the session's answers and the cursor, if it is on this question."""
        r = self.session.result
        names = {f.name for f in view.question.fields}
        hidden = names & set(r.hidden_answers)
        visible = {n for n in names if self.cursor.path.shown(n, r)}
        view.display = bool(visible or hidden)
        field = self.cursor.field
        here = None
        if field is not None and field.name in names:
            halt = self.cursor.halt
            notice = None
            if halt is not None:
                # a refused key's message does not say how to go on, an error's does (F6 too)
                how = " ; Retour arrière pour reprendre" if halt.error is None else ""
                ignored = f" ({halt.ignored} touche(s) ignorée(s){how})" if halt.ignored else ""
                notice = f"{halt.message}{ignored}"
            here = Cursor(field.name, self.cursor.draft, notice)
        if notes is None:
            notes = _notes_by_question(r.checks)
        view.draw(
            self.session.answers,
            frozenset(visible | hidden),
            bool(hidden and not visible),
            here,
            notes.get(view.question.name),
        )

    def _draw_cursor(self) -> None:
        """Redraw the question the cursor left and the one it is on; bring the latter into view."""
        field = self.cursor.field
        question = field.question if field is not None else None
        if self.current_question is not None and self.current_question != question:
            left = self._view(self.current_question)
            if left is not None:
                self._draw_question(left)
        self.current_question = question
        view = self._view(question) if question else None
        if view is None:
            return
        self._draw_question(view)
        self.call_after_refresh(self._bring_into_view, view)

    def _bring_into_view(self, view: QuestionView) -> None:
        """The whole question if it fits, else the lines around the field under the cursor. Runs
        after the next refresh: Échap typed ahead may have closed the screen by then."""
        box = next(self.query("#questions").results(VerticalScroll), None)
        if box is None or not view.is_attached:
            return
        if view.size.height <= box.size.height:
            box.scroll_to_widget(view, animate=False)
            return
        fields = [line.field.name for line in view.lines if line.field is not None]
        field = self.cursor.field
        index = fields.index(field.name) if field is not None and field.name in fields else 0
        offset = round(view.size.height * index / max(len(fields), 1))
        where = view.virtual_region
        box.scroll_to_region(Region(where.x, where.y + offset, where.width, 4), animate=False)

    def _status(self, outcome: Outcome) -> None:
        text = ""
        if outcome.answer is not None and outcome.answer.flagged:
            what = field_title(self.session.campaign, outcome.answer.field)
            text = f"« {what} » : modification à valider par la DDASS"
        if outcome.notice:
            text = outcome.notice
        if outcome.refusal and self.cursor.halt is None:
            text = f"✖ {outcome.refusal}"
        self.query_one("#status", Static).update(text)

    def refresh_state(self) -> None:
        """Redraw every question (shown, masked or hidden as answers change), the panels, the progress."""
        s = self.session
        r = s.result
        notes = _notes_by_question(r.checks)
        self.current_question = None
        for view in self.views.values():
            self._draw_question(view, notes)
        self._draw_cursor()
        self.query_one("#scores", ScorePanel).show(s.campaign, r, s.provisional_indicators())
        self.query_one("#checks", PickList).set_entries(check_entries(s.campaign, r))
        page = self.cursor.page
        done, total = s.progress(page)
        self.title = f"{page.number} – {page.title}" if page.number else page.title
        reason = s.read_only_reason()
        # read-only first: a long chapter title would push it out of an 80-column header
        self.sub_title = ("LECTURE SEULE — " if reason else "") + f"{done}/{total} réponses"
        self._draw_chapters()

    def _draw_chapters(self) -> None:
        s = self.session
        entries = []
        for i, sec in enumerate(self.cursor.path.pages):
            d, t = s.progress(sec)
            mark = "▶" if i == self.cursor.position.page else ("✔" if d == t else " ")
            number = sec.number or ""
            title = sec.title if len(sec.title) <= CHAPTER_TITLE else sec.title[: CHAPTER_TITLE - 1] + "…"
            entries.append(Entry(Text(f"{mark}{number:>5} {title:<{CHAPTER_TITLE}} {d:>2}/{t}"), i))
        self.query_one("#chapters", PickList).set_entries(entries)

    # ------------------------------------------------------------------ actions

    async def action_chapters(self) -> None:
        """F3: the keys go to the chapter list (Entrée opens a page); F3 or Échap come back."""
        if self.mode == "chapters":
            await self._close_list()
            return
        await self._close_list()
        self.mode = "chapters"
        chapters = self.query_one("#chapters", PickList)
        chapters.set_entries(chapters.entries, self.cursor.position.page)
        chapters.set_active(True)
        self._fit_side()

    async def action_checks(self) -> None:
        """F4: the keys go to the checks list (Entrée goes to the question, j justifies)."""
        if self.mode == "checks":
            await self._close_list()
            return
        await self._close_list()
        self.mode = "checks"
        self.query_one("#checks", PickList).set_active(True)
        self._fit_side()

    async def _close_list(self) -> None:
        if self.mode != "questions":
            self.query_one("#" + self.mode, PickList).set_active(False)
        self.mode = "questions"
        self._fit_side()

    def _fit_side(self) -> None:
        """On a narrow terminal the chapter list takes the place of the score panel, not of the questions."""
        wide = self.size.width >= WIDE
        listing = self.mode == "chapters"
        self.query_one("#chapters").display = wide or listing
        self.query_one("#side").display = wide or not listing

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")
        self._fit_side()

    async def action_leave(self) -> None:
        if self.mode != "questions":
            await self._close_list()
            return
        outcome = self.cursor.leave()
        if outcome.notice:
            self.app.notify(outcome.notice, timeout=6)
        await self.app.pop_screen()

    async def action_jump(self) -> None:
        from bilan.tui.dialogs import AskDialog

        async def done(text: str) -> None:
            if not text.strip():
                return
            found = resolve(self.session.campaign, text, self.cursor.page)
            if found is None:
                self._status(Outcome(refusal=f"« {text} » : ni un numéro (ex. III.2) ni un nom de question ou d’item"))
                return
            await self._jump_to_entry(Entry(Text(), found))

        await self.app.push_screen(
            AskDialog("Aller à la question", "numéro (III.2, 2), nom (eohh) ou item (O211)", done)
        )

    async def action_explain(self) -> None:
        from bilan.tui.explain import explanation

        field = self.cursor.field
        if field is not None:
            await self.app.push_screen(ReadDialog("", explanation(self.session, self.session.question_of(field.name))))

    async def ask_justification(self, check_name: str) -> None:
        from bilan.tui.dialogs import AskDialog

        s = self.session
        check = next(c for c in s.campaign.checks if c.name == check_name)

        async def done(text: str) -> None:
            refusal = s.justify(check.name, text)
            self.refresh_state()
            if refusal:
                self._status(Outcome(refusal=refusal))
            else:
                self._status(Outcome(notice="justification enregistrée" if text.strip() else "justification retirée"))

        await self.app.push_screen(
            AskDialog(
                f"Justifier : {check.message}",
                "justification (conservée avec la déclaration ; vide : la retirer)",
                done,
                s.justifications.get(check.name, ""),
            )
        )


def _notes_by_question(checks: tuple[CheckResult, ...]) -> dict[str, Text]:
    """Under each question, the checks it fired: ✖ an error, ⚠ a warning to justify (j), ✔ justified."""
    notes: dict[str, Text] = {}
    for c in checks:
        text = notes.setdefault(c.check.question, Text())
        if text:
            text.append("\n")
        if c.check.severity == "erreur":
            text.append(f"✖ {c.check.message}", style="bold")
        elif c.justification:
            text.append(f"✔ {c.check.message} — justifié : {c.justification}")
        else:
            text.append(f"⚠ {c.check.message} — j : justifier", style="bold")
    return notes

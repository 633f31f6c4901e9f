"""The entry screen: a chapter (or a fiche) generated from the model, the scores and the checks beside it."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Label, ListItem, ListView

from bilan.common.errors import UserError
from bilan.engine.model import Section
from bilan.tui.fields import Answered, AnswerInput, ChoiceInput, widget_id
from bilan.tui.jump import resolve
from bilan.tui.panels import ChecksPanel, JumpTo, JustifyRequest, ScorePanel
from bilan.tui.question_view import QuestionView, section_views
from bilan.tui.session import Session


class EntryScreen(Screen[None]):
    """Questions of one section at a time; every answer is stored the moment it is entered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "chapter(1)", "Chap. suiv."),
        Binding("pageup", "chapter(-1)", "Chap. préc."),
        Binding("ctrl+g", "jump", "Aller à"),
        Binding("f2", "explain", "Consigne"),
        Binding("f3", "toggle_chapters", "Chapitres"),
        Binding("f4", "checks", "Contrôles"),
        Binding("escape", "leave", "Accueil"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, session: Session, sections: tuple[Section, ...], start: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.sections = sections
        self.index = 0
        self.start = start
        self.current_field: str | None = start
        self.current_view: QuestionView | None = None
        if start is not None and start in session.campaign.fields:
            name = session.campaign.questions[session.campaign.fields[start].question].section
            self.index = next((i for i, s in enumerate(sections) if s.name == name), 0)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            if len(self.sections) > 1:
                yield ListView(*[ListItem(Label("", id=f"ch-{i}")) for i in range(len(self.sections))], id="chapters")
            yield VerticalScroll(id="questions")
            with Vertical(id="side"):
                yield Label("Scores", classes="side-title")
                yield ScorePanel(id="scores")
                yield Label("Contrôles (F4)", classes="side-title")
                yield ChecksPanel(id="checks")
        yield Footer()

    async def on_mount(self) -> None:
        if len(self.sections) > 1:
            self.query_one("#chapters").display = self.app.size.width >= 110
        await self.load(self.index, self.start)

    # ------------------------------------------------------------------ building a chapter

    async def load(self, index: int, focus: str | None = None) -> None:
        self.index = index
        section = self.sections[index]
        box = self.query_one("#questions", VerticalScroll)
        await box.remove_children()
        await box.mount_all(section_views(section, self.session.answers))
        box.scroll_home(animate=False)
        self.refresh_state()
        target = self._widget(focus) if focus else None
        if target is None or not self._shown(target):
            target = next(iter(self.answer_widgets()), None)
        if target is not None:
            target.focus()
            self.call_after_refresh(target.scroll_visible, animate=False)

    def _widget(self, field: str) -> Widget | None:
        found = self.query("#" + widget_id(field))
        return found.first() if found else None

    def _shown(self, widget: Widget) -> bool:
        node: Widget | None = widget
        while node is not None and node is not self:
            if not node.display or node.disabled:
                return False
            node = node.parent  # type: ignore[assignment]
        return True

    def answer_widgets(self) -> list[Widget]:
        return [w for w in self.query(".answer") if self._shown(w)]

    def refresh_state(self) -> None:
        """Show or hide questions as answers change, then redraw scores, checks and progress."""
        s = self.session
        r = s.result
        hidden = set(r.hidden_answers)
        for view in self.query(QuestionView):
            names = [f.name for f in view.question.fields]
            visible = any(n in r.visible for n in names)
            masked = not visible and any(n in hidden for n in names)
            view.display = visible or masked
            view.set_class(masked, "-masked")
            if masked:
                view.query_one(".masked-note", Label).update("masquée : réponse conservée, non comptée")
            for n in names:
                line = view.query("#line-" + n.replace(".", "--"))
                if line:
                    line.first().display = n in r.visible or n in hidden
                    line.first().disabled = n not in r.visible
        section = self.sections[self.index]
        self.query_one("#scores", ScorePanel).show(s.campaign, r)
        self.query_one("#checks", ChecksPanel).show(s.campaign, r, None)
        done, total = s.progress(section)
        title = f"{section.number} – {section.title}" if section.number else section.title
        self.title = title
        reason = s.read_only_reason()
        # read-only first: a long chapter title would push it out of an 80-column header
        self.sub_title = ("LECTURE SEULE — " if reason else "") + f"{done}/{total} réponses"
        if len(self.sections) > 1:
            for i, sec in enumerate(self.sections):
                d, t = s.progress(sec)
                mark = "▶" if i == self.index else ("✔" if d == t else " ")
                self.query_one(f"#ch-{i}", Label).update(f"{mark}{sec.number:>5} {sec.title[:18]} {d}/{t}")

    # ------------------------------------------------------------------ answers

    def on_answered(self, message: Answered) -> None:
        message.stop()
        s = self.session
        widget = self._widget(message.field.name)
        reason = s.read_only_reason()
        if reason:
            self.notify(reason, title="Lecture seule", severity="warning")
            if isinstance(widget, ChoiceInput | AnswerInput):
                widget.set_value(s.answers.get(message.field.name))
            return
        if message.field.name == "finess" and s.answers.get("finess") and message.value != s.answers["finess"]:
            self.notify("le numéro FINESS identifie la déclaration : il ne peut être changé ici", severity="error")
            if isinstance(widget, AnswerInput):
                widget.set_value(s.answers.get("finess"))
            return
        try:
            s.answer(message.field.name, message.value)
        except UserError as exc:
            self.notify(exc.render(), severity="error")
            return
        if isinstance(widget, ChoiceInput):
            widget.set_value(message.value)
        if s.last_flagged:
            self.notify(
                f"« {message.field.label or message.field.question} » : modification à valider par la DDASS",
                title="Donnée de catégorie",
                severity="warning",
                timeout=6,
            )
        self.refresh_state()
        if message.advance and widget is not None:
            self.call_after_refresh(self.advance_from, widget)

    def advance_from(self, widget: Widget, step: int = 1) -> None:
        widgets = self.answer_widgets()
        if widget not in widgets:
            return
        i = widgets.index(widget) + step
        if 0 <= i < len(widgets):
            widgets[i].focus()
            widgets[i].scroll_visible(animate=False)
        elif step > 0 and self.index + 1 < len(self.sections):
            self.run_worker(self.load(self.index + 1))
        elif step > 0 and len(self.sections) > 1:
            self.notify("Dernière question du bilan : Échap revient à l’accueil (récapitulatif, validation).")
        elif step > 0:
            self.notify(f"Fin de la fiche « {self.sections[0].title} » : Échap revient à l’accueil.")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the question holding the focus (a class, not :focus-within, which restyles the whole page)."""
        field = getattr(event.widget, "field", None)
        if field is None:
            return
        self.current_field = field.name
        view = next((a for a in event.widget.ancestors if isinstance(a, QuestionView)), None)
        if view is not self.current_view:
            if self.current_view is not None:
                self.current_view.remove_class("-current")
            if view is not None:
                view.add_class("-current")
            self.current_view = view

    def action_move(self, step: int) -> None:
        focused = self.focused
        if (
            isinstance(focused, AnswerInput)
            and focused.value.strip() != focused.committed
            and not focused.commit(advance=False)
        ):
            return  # an invalid value keeps the focus, as Enter does
        if focused is not None and focused.has_class("answer"):
            self.advance_from(focused, step)

    async def action_chapter(self, step: int) -> None:
        target = self.index + step
        if 0 <= target < len(self.sections):
            await self.load(target)

    def action_toggle_chapters(self) -> None:
        """Show the chapter list and put the focus on it (Entrée opens a chapter), or hide it."""
        found = self.query("#chapters")
        if not found:
            return
        chapters = found.first(ListView)
        chapters.display = not chapters.display
        self._fit_side()
        if chapters.display:
            chapters.index = self.index
            chapters.focus()
        elif self.focused is None or self.focused is chapters:
            target = self._widget(self.current_field) if self.current_field else None
            if target is None or not self._shown(target):
                target = next(iter(self.answer_widgets()), None)
            if target is not None:
                target.focus()

    def _fit_side(self) -> None:
        """On a narrow terminal the chapter list takes the place of the score panel, not of the questions."""
        found = self.query("#chapters")
        side = self.query("#side")
        if side:
            side.first().display = not (bool(found) and found.first().display and self.size.width < 110)

    def action_checks(self) -> None:
        self.query_one("#checks", ChecksPanel).focus()

    async def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if self.size.width < 110:
            event.list_view.display = False
            self._fit_side()
        await self.load(event.list_view.index or 0)

    # ------------------------------------------------------------------ jumps, help, justification

    async def go_to(self, question: str, field: str | None = None) -> None:
        s = self.session
        q = s.campaign.questions.get(question)
        if q is None:
            return
        index = next((i for i, sec in enumerate(self.sections) if sec.name == q.section), None)
        if index is None:
            self.notify("question d’une autre partie : ouvrez-la depuis l’accueil", severity="warning")
            return
        if not field:
            field = next((f.name for f in q.fields if f.name in s.result.visible), q.fields[0].name)
        if index != self.index:
            await self.load(index, field)
            return
        w = self._widget(field)
        if w is not None and self._shown(w):
            w.focus()
            w.scroll_visible(animate=False)
        else:
            self.notify("cette question est masquée par une réponse précédente", severity="warning")

    async def on_jump_to(self, message: JumpTo) -> None:
        message.stop()
        await self.go_to(message.question, message.field)

    def action_jump(self) -> None:
        from bilan.tui.dialogs import AskDialog

        async def done(text: str | None) -> None:
            if not text:
                return
            found = resolve(self.session.campaign, text, self.sections[self.index])
            if found is None:
                self.notify(f"« {text} » : ni un numéro (ex. III.2) ni un nom de question ou d’item", severity="error")
            else:
                await self.go_to(found)

        self.app.push_screen(AskDialog("Aller à la question", "numéro (III.2, 2), nom (eohh) ou item (O211)"), done)

    def action_explain(self) -> None:
        from bilan.tui.explain import ExplainScreen

        if self.current_field is None:
            return
        q = self.session.question_of(self.current_field)
        self.app.push_screen(ExplainScreen(self.session, q.name))

    def on_justify_request(self, message: JustifyRequest) -> None:
        message.stop()
        from bilan.tui.dialogs import AskDialog

        s = self.session
        check = next((c for c in s.campaign.checks if c.name == message.check), None)
        if check is None or check.severity != "avertissement":
            self.notify("seul un avertissement se justifie ; une erreur se corrige", severity="warning")
            return
        if s.read_only_reason():
            self.notify(s.read_only_reason() or "", severity="warning")
            return

        def done(text: str | None) -> None:
            if text is not None:
                s.justify(check.name, text)
                self.refresh_state()
                self.notify("justification enregistrée" if text.strip() else "justification retirée")

        self.app.push_screen(
            AskDialog(
                f"Justifier : {check.message}",
                "justification (conservée avec la déclaration)",
                s.justifications.get(check.name, ""),
            ),
            done,
        )

    def action_leave(self) -> None:
        focused = self.focused
        pending = isinstance(focused, AnswerInput) and focused.value.strip() != focused.committed
        if pending and not focused.commit(advance=False):  # type: ignore[union-attr]
            return
        if self.current_field and self.session.editable:
            self.session.store.set_position(self.session.id, self.current_field)
        self.dismiss()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")
        self._fit_side()

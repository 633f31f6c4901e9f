"""Name resolution and type checking of expressions.

Each expression is rebuilt with its references resolved (field, value, indicator, data block) and
bare option codes (`oui`, `interne`, `11` for a category) turned into constants once the type they
are compared with is known. Problems are reported as diagnostics, several per file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

import attrs

from bilan.common.source import Span
from bilan.common.suggest import closest
from bilan.dsl.diagnostics import Diagnostic
from bilan.dsl.syntax_errors import expression_keywords
from bilan.engine.expr import (
    COMPARISONS,
    FUNCTIONS,
    Between,
    Binary,
    Call,
    Conditional,
    Const,
    Expr,
    Member,
    Ref,
    RefKind,
    Unary,
)
from bilan.engine.model import ChoiceType, FieldType, MultiChoiceType, NumberType, TextType


@attrs.frozen
class T:
    """The type of an expression: kind is number, bool, choice, set, text, symbol (a declared option
    code), unknown (a bare name declared nowhere: a code only if a choice gives it meaning) or error."""

    kind: str
    choice: ChoiceType | None = None

    def describe(self) -> str:
        if self.kind == "choice" and self.choice is not None:
            codes = ", ".join(str(c) for c in self.choice.codes)
            return f"un choix ({codes})"
        return {
            "number": "un nombre",
            "bool": "une condition",
            "set": "une liste de choix",
            "text": "un texte",
            "symbol": "un code",
        }.get(self.kind, "une valeur")


NUMBER, BOOL, ERROR = T("number"), T("bool"), T("error")
_CODES = ("symbol", "unknown")  # what a bare name compared with a choice may be: one of its codes


def type_of_field(ftype: FieldType) -> T:
    if isinstance(ftype, NumberType):
        return NUMBER
    if isinstance(ftype, ChoiceType):
        return T("choice", ftype)
    if isinstance(ftype, MultiChoiceType):
        return T("set", ftype.choice)
    assert isinstance(ftype, TextType)
    return T("text")


class Resolver:
    """Resolves names against the campaign's namespaces and checks the types of expressions."""

    def __init__(
        self,
        fields: dict[str, FieldType | None],
        values: dict[str, Expr],
        indicators: set[str],
        data_blocks: set[str],
        report: Callable[[Diagnostic], None],
        value_type: Callable[[str], T],
        *,
        codes: set[str] = frozenset(),  # type: ignore[assignment]
        items: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> None:
        """`fields` maps a field whose type could not be read (already reported) to None; `codes`
        are the option codes of every declared type, `items` the item codes (for suggestions)."""
        self.fields = fields
        self.values = values
        self.indicators = indicators
        self.data_blocks = data_blocks
        self.report = report
        self.value_type = value_type
        self.codes = codes
        self.items = items

    def error(self, span: Span | None, message: str) -> T:
        if span is not None:
            self.report(Diagnostic(span, message))
        return ERROR

    def condition(self, expr: Expr, what: str) -> Expr:
        """Resolve an expression that must be a condition (rule, branch, check, status)."""
        resolved, t = self.resolve(expr)
        if t.kind not in ("bool", "error"):
            self.error(expr.span, f"{what} doit être une condition, pas {t.describe()}")
        return resolved

    def number(self, expr: Expr, what: str) -> Expr:
        resolved, t = self.resolve(expr)
        if t.kind not in ("number", "error"):
            self.error(expr.span, f"{what} doit être un nombre, pas {t.describe()}")
        return resolved

    # ------------------------------------------------------------------ dispatch

    def resolve(self, expr: Expr) -> tuple[Expr, T]:
        """Resolve an expression; a bare name that is nothing declared is reported here."""
        resolved, t = self._operand(expr)
        if t.kind == "unknown":
            return resolved, self._unknown(resolved)
        return resolved, t

    def _operand(self, expr: Expr) -> tuple[Expr, T]:
        """Resolve an expression where an option code may also stand (compared with a choice):
        an undeclared bare name comes back as "unknown" for the caller to judge."""
        match expr:
            case Const(value=v):
                if isinstance(v, bool):
                    return expr, BOOL
                return expr, (NUMBER if isinstance(v, Fraction) else T("symbol"))
            case Ref():
                return self._ref(expr)
            case Unary(operand=o):
                o2, t = self.resolve(o)
                self._want(t, "bool", o, "« non » s’applique à une condition")
                return Unary(expr.op, o2, expr.span), BOOL
            case Binary(op=op) if op in ("et", "ou"):
                a, ta = self.resolve(expr.left)
                b, tb = self.resolve(expr.right)
                self._want(ta, "bool", expr.left, f"« {op} » relie des conditions")
                self._want(tb, "bool", expr.right, f"« {op} » relie des conditions")
                return Binary(expr.op, a, b, expr.span), BOOL
            case Binary(op=op) if op in COMPARISONS:
                return self._compare(expr)
            case Binary(op="contient"):
                return self._contains(expr)
            case Binary():
                a, ta = self.resolve(expr.left)
                b, tb = self.resolve(expr.right)
                self._want(ta, "number", expr.left, f"« {expr.op} » calcule sur des nombres")
                self._want(tb, "number", expr.right, f"« {expr.op} » calcule sur des nombres")
                return Binary(expr.op, a, b, expr.span), NUMBER
            case Between():
                parts = [self.resolve(e) for e in (expr.operand, expr.low, expr.high)]
                for (_, t), e in zip(parts, (expr.operand, expr.low, expr.high), strict=True):
                    self._want(t, "number", e, "« entre » compare des nombres")
                return Between(parts[0][0], parts[1][0], parts[2][0], expr.span), BOOL
            case Member():
                return self._member(expr)
            case Call():
                return self._call(expr)
            case Conditional():
                test = self.condition(expr.test, "le test de « si ... alors ... sinon »")
                a, ta = self.resolve(expr.then)
                b, tb = self.resolve(expr.otherwise)
                if ERROR not in (ta, tb) and ta.kind != tb.kind:
                    self.error(expr.span, f"« alors » donne {ta.describe()} et « sinon » {tb.describe()}")
                return Conditional(test, a, b, expr.span), ta
        raise TypeError(expr)  # pragma: no cover

    def _want(self, t: T, kind: str, expr: Expr, message: str) -> None:
        if t.kind not in (kind, "error"):
            self.error(expr.span, f"{message}, pas {t.describe()}")

    def _ref(self, ref: Ref) -> tuple[Expr, T]:
        name = ref.name
        if name in self.fields:
            ftype = self.fields[name]
            return Ref(ref.name, "field", ref.span), ERROR if ftype is None else type_of_field(ftype)
        if name in self.values:
            return Ref(ref.name, "value", ref.span), self.value_type(name)
        if name in self.indicators:
            return Ref(ref.name, "indicator", ref.span), NUMBER
        if name in self.data_blocks:
            return Ref(ref.name, "data", ref.span), T("data")
        if name in self.codes:
            return Ref(ref.name, "symbol", ref.span), T("symbol")
        if "." not in name:
            return Ref(ref.name, "symbol", ref.span), T("unknown")
        return ref, self._unknown(ref)

    def _code(self, symbol: Expr, choice: ChoiceType) -> Expr:
        """Turn a bare code (or a number, for numbered options) into a constant of `choice`."""
        code: object
        if isinstance(symbol, Ref):
            code = symbol.name
        elif isinstance(symbol, Const) and isinstance(symbol.value, Fraction):
            code = int(symbol.value) if symbol.value.denominator == 1 else symbol.value
        elif isinstance(symbol, Const):
            code = symbol.value
        else:
            return symbol
        if choice.option(code) is None:
            codes = ", ".join(str(c) for c in choice.codes)
            close = closest(str(code), [str(c) for c in choice.codes])
            hint = f" ; vouliez-vous dire « {close} » ?" if close else ""
            self.error(symbol.span, f"« {code} » n’est pas une réponse possible (type {choice.name} : {codes}){hint}")
        return Const(code, symbol.span)

    def _unknown(self, expr: Expr) -> T:
        """An undeclared name, with the nearest declared one (question, value, code, keyword...)."""
        name = expr.name if isinstance(expr, Ref) else str(getattr(expr, "value", "?"))
        if name in self.codes:
            return self.error(
                expr.span, f"« {name} » est un code de réponse : il se compare à une question à choix (ex. q = {name})"
            )
        if name in self.items:
            return self.error(
                expr.span,
                f"« {name} » est un item : une condition lit des questions, des valeurs et des indicateurs, pas les "
                "points d’un item",
            )
        known = [*self.fields, *self.values, *self.indicators, *self.data_blocks, *self.codes, *expression_keywords()]
        close = closest(name, known)
        hint = f" ; vouliez-vous dire « {close} » ?" if close else ""
        return self.error(expr.span, f"nom inconnu « {name} »{hint}")

    def _compare(self, expr: Binary) -> tuple[Expr, T]:
        a, ta = self._operand(expr.left)
        b, tb = self._operand(expr.right)
        if ta.kind in _CODES and tb.kind == "choice":
            a, b, ta, tb = b, a, tb, ta
        if ERROR in (ta, tb):  # already reported: what the other side could mean is unknown
            return Binary(expr.op, a, b, expr.span), BOOL
        if ta.kind == "choice" and ta.choice is not None and tb.kind == "number" and not isinstance(b, Const):
            self.error(expr.span, f"comparaison impossible entre {ta.describe()} et un nombre")
            return Binary(expr.op, a, b, expr.span), BOOL
        if (
            ta.kind == "choice"
            and ta.choice is not None
            and tb.kind == "number"
            and not any(isinstance(c, int) for c in ta.choice.codes)
        ):
            self.error(expr.span, f"comparaison impossible entre {ta.describe()} et un nombre")
            return Binary(expr.op, a, b, expr.span), BOOL
        if ta.kind == "choice" and ta.choice is not None and tb.kind in (*_CODES, "number"):
            if expr.op not in ("=", "!="):
                self.error(expr.span, f"« {expr.op} » ne compare pas des choix ; utiliser = ou !=")
            b = self._code(b, ta.choice)
            return Binary(expr.op, a, b, expr.span), BOOL
        for t, e in ((ta, expr.left), (tb, expr.right)):
            if t.kind in _CODES and isinstance(e, Ref):
                self._unknown(e)
                return expr, BOOL
        if ta.kind == "choice" and tb.kind == "choice":
            if ta.choice != tb.choice:
                self.error(
                    expr.span, f"comparaison de deux types de choix différents : {ta.describe()} et {tb.describe()}"
                )
            elif expr.op not in ("=", "!="):
                self.error(expr.span, f"« {expr.op} » ne compare pas des choix ; utiliser = ou !=")
        elif ta.kind == tb.kind == "number":
            pass
        else:
            self.error(expr.span, f"comparaison impossible entre {ta.describe()} et {tb.describe()}")
        return Binary(expr.op, a, b, expr.span), BOOL

    def _contains(self, expr: Binary) -> tuple[Expr, T]:
        """`disciplines contient digestive`: an option chosen in a multiple-choice answer."""
        a, ta = self.resolve(expr.left)
        b, tb = self._operand(expr.right)
        if ta.kind == "set" and ta.choice is not None and tb.kind in (*_CODES, "number"):
            return Binary(expr.op, a, self._code(b, ta.choice), expr.span), BOOL
        if tb.kind == "unknown":
            return Binary(expr.op, a, b, expr.span), ERROR if ta == ERROR else self._unknown(b)
        if ERROR not in (ta, tb):
            self.error(
                expr.span,
                f"« contient » attend une question à choix multiples et une de ses réponses, "
                f"pas {ta.describe()} et {tb.describe()}",
            )
        return Binary(expr.op, a, b, expr.span), BOOL

    def _member(self, expr: Member) -> tuple[Expr, T]:
        o, t = self.resolve(expr.operand)
        choices: list[Expr] = []
        for c in expr.choices:
            c2, tc = self._operand(c)
            if t.kind == "choice" and t.choice is not None and tc.kind in (*_CODES, "number"):
                choices.append(self._code(c2, t.choice))
            elif tc.kind in _CODES:
                if t != ERROR:
                    self._unknown(c2)
                choices.append(c2)
            else:
                if ERROR not in (t, tc) and tc.kind != t.kind:
                    self.error(c.span, f"« dans » : {tc.describe()} dans une liste de {t.describe()}")
                choices.append(c2)
        if t.kind == "symbol":
            self._unknown(expr.operand)
        return Member(o, tuple(choices), expr.span), BOOL

    def _call(self, expr: Call) -> tuple[Expr, T]:
        name, args = expr.function, expr.args
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            close = closest(name, FUNCTIONS)
            hint = f" ; vouliez-vous dire « {close} » ?" if close else f" (fonctions : {known})"
            return expr, self.error(expr.span, f"fonction inconnue « {name} »{hint}")
        if name in ("present", "concerne", "repondu"):
            return self._name_call(expr)
        if not args:
            return expr, self.error(expr.span, f"« {name} » attend au moins un argument")
        resolved = [self.resolve(a) for a in args]
        new = Call(name, tuple(r for r, _ in resolved), expr.span)
        if name == "compte":
            for (_, t), a in zip(resolved, args, strict=True):
                self._want(t, "bool", a, "« compte » compte des conditions")
            return new, NUMBER
        if name == "nombre":
            if len(args) != 1 or resolved[0][1].kind not in ("set", "error"):
                self.error(expr.span, "« nombre » attend une question à choix multiples, ex. nombre(disciplines)")
            return new, NUMBER
        for (_, t), a in zip(resolved, args, strict=True):
            self._want(t, "number", a, f"« {name} » compare des nombres")
        return new, NUMBER

    def _name_call(self, expr: Call) -> tuple[Expr, T]:
        name = expr.function
        by_function: dict[str, tuple[RefKind, str, Iterable[str]]] = {
            "present": ("data", "un bloc de données, ex. present(sae)", self.data_blocks),
            "concerne": ("indicator", "un indicateur, ex. concerne(SURVISO)", self.indicators),
            "repondu": ("field", "une question, ex. repondu(volume_sha)", set(self.fields)),
        }
        kind, hint, names = by_function[name]
        if len(expr.args) != 1 or not isinstance(expr.args[0], Ref) or expr.args[0].name not in names:
            arg = expr.args[0] if len(expr.args) == 1 and isinstance(expr.args[0], Ref) else None
            close = closest(arg.name, names) if arg is not None else None
            suggestion = f" ; vouliez-vous dire « {close} » ?" if close else ""
            return expr, self.error(expr.span, f"« {name} » attend {hint}{suggestion}")
        ref = expr.args[0]
        return Call(name, (Ref(ref.name, kind, ref.span),), expr.span), BOOL

"""A declarative form: one table of steps drives a step-by-step conversation.

A wizard (the volunteer's sign-up, the support person's registration, ...) lists its steps in
order. Each `Step` says how its question is put (a catalogue key and a keyboard, or its own
`ask`), whether what is stored already answers it (`answered`), how a typed answer is read
(`parse`) and stored (`save`), and which button on the review asks it again (`field_key`).
The `Form` built from the table then

- finds the next question (`next_step`: the first step not yet answered, else the review),
- asks any step (`ask`), including the review,
- offers a button per changeable step on the review (`field_rows`),
- handles typed answers (`typed`), including text that was meant for the question the person
  really sees after a hard kill lost the step, and messages of the wrong kind (`wrong_kind`).

The form is generic in what the answers are read from (`T`): a person, or a draft. A form
whose answers need a database read (a draft) passes them to `ask` rather than have the form
read them from the context.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.common import Markup, say
from handlers.language_switch import switch_language
from kernel.buttons.language import LanguageButton
from kernel.context import SammenContext
from kernel.keyboards import Button
from kernel.validation import Invalid

T = TypeVar("T")
END = ConversationHandler.END
State = str | int
# Coroutine, not Awaitable: python-telegram-bot's handler types ask for coroutine functions.
Handler = Callable[[Update, SammenContext], Coroutine[Any, Any, State]]
Guard = Callable[[Update, SammenContext], Awaitable[bool]]
Keyboard = Callable[[SammenContext], Awaitable[Markup]]


@dataclass(frozen=True)
class Step(Generic[T]):
    """One question of a form; see the module docstring for how a form uses it."""

    # The conversation state while the question waits for its answer.
    name: str
    # The catalogue key of the question, and what to offer with it.
    question_key: str | None = None
    keyboard: Keyboard | None = None
    # A keyboard that shows the answers so far (what is chosen already).
    answers_keyboard: Callable[[SammenContext, T], Awaitable[Markup]] | None = None
    # A question that asks itself (it needs more than a key and a keyboard).
    ask: Callable[[Update, SammenContext], Awaitable[None]] | None = None
    # Whether what is stored answers the question. Steps without it are part of no order:
    # another step leads to them.
    answered: Callable[[T], bool] | None = None
    # A typed answer: read it (an Invalid says why not), then store it, tell the person, and
    # return the state to go to.
    parse: Callable[[Update], Any] | None = None
    save: Callable[[Update, SammenContext, Any], Awaitable[State]] | None = None
    # Catalogue keys per Invalid reason, and values these texts need.
    invalid_keys: Mapping[str, str] = field(default_factory=dict)
    invalid_values: Mapping[str, object] = field(default_factory=dict)
    # Checked before a typed answer is taken; False ends the conversation.
    guard: Guard | None = None
    # The review's button label that asks this step again (None: not changeable there).
    field_key: str | None = None
    # What to say when another kind of message arrives; None: point to the buttons and ask
    # again.
    type_it_key: str | None = None
    # The handlers of this step's buttons (and of other messages it accepts).
    handlers: Sequence[BaseHandler[Any, Any, Any]] = ()
    # Messages other than text taken as an answer as they are, read by `parse` too (a
    # shared contact where a phone number is asked).
    accepts: filters.BaseFilter | None = None


def _text() -> filters.BaseFilter:
    return filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND


def _anything_else() -> filters.BaseFilter:
    return filters.UpdateType.MESSAGE & ~filters.COMMAND


class Form(Generic[T]):
    """The steps of a wizard, in the order they are asked, and the review after them."""

    def __init__(
        self,
        steps: Sequence[Step[T]],
        *,
        review: str,
        show_review: Callable[[Update, SammenContext, T], Awaitable[None]],
        answers: Callable[[SammenContext], T] | None = None,
        follows_order: Callable[[T], bool] | None = None,
        wrong_kind: Callable[[str], Handler] | None = None,
    ) -> None:
        """`answers` reads what is answered so far (None: callers of `ask` pass them);
        `follows_order` says when typed text belongs to the question `next_step` points at
        rather than to the stored state (during a first pass through the form, when a hard
        kill may have lost the step); `wrong_kind` makes the handler of a message of the wrong
        kind at a step, for a form that answers those its own way."""
        self.steps = {step.name: step for step in steps}
        self.review = review
        self._show_review = show_review
        self._answers = answers
        self._follows_order = follows_order
        self._wrong_kind = wrong_kind or self.wrong_kind

    def next_step(self, answers: T) -> str:
        """The first question not answered yet; the review when all are."""
        for step in self.steps.values():
            if step.answered is not None and not step.answered(answers):
                return step.name
        return self.review

    async def ask(
        self, update: Update, context: SammenContext, name: str, answers: T | None = None
    ) -> str:
        """Put the question of step `name` (or show the review); returns the state to wait in.
        `answers` are what is answered so far, when the form cannot read them itself."""

        def given() -> T:
            if answers is not None:
                return answers
            assert self._answers is not None, "this form's callers pass the answers"
            return self._answers(context)

        step = self.steps.get(name)
        if step is None:
            await self._show_review(update, context, given())
            return self.review
        if step.ask is not None:
            await step.ask(update, context)
            return step.name
        assert step.question_key is not None
        keyboard: Markup = None
        if step.answers_keyboard is not None:
            keyboard = await step.answers_keyboard(context, given())
        elif step.keyboard is not None:
            keyboard = await step.keyboard(context)
        await say(update, context, step.question_key, keyboard)
        return step.name

    def field_rows(
        self, context: SammenContext, button: Callable[[str], str]
    ) -> list[list[Button]]:
        """A row per changeable step for the review: its label, and `button(step name)`."""
        return [
            [(context.t(step.field_key), button(step.name))]
            for step in self.steps.values()
            if step.field_key is not None
        ]

    def changeable(self, name: str) -> bool:
        """Whether the review offers step `name` to be answered again."""
        step = self.steps.get(name)
        return step is not None and step.field_key is not None

    def typed(self, name: str) -> Handler:
        """The handler of a typed answer at step `name`."""

        async def answer(update: Update, context: SammenContext) -> State:
            shown = name
            follows, read = self._follows_order, self._answers
            if follows is not None and read is not None and follows(answers := read(context)):
                expected = self.steps.get(self.next_step(answers))
                if expected is not None and expected.parse is not None:
                    shown = expected.name
            return await self.answer(shown)(update, context)

        return answer

    def answer(self, name: str) -> Handler:
        """The handler of an answer at step `name`, taken as it is (a shared contact)."""
        step = self.steps[name]
        assert step.parse is not None and step.save is not None
        parse, save = step.parse, step.save

        async def take(update: Update, context: SammenContext) -> State:
            if step.guard is not None and not await step.guard(update, context):
                return END
            value = parse(update)
            if isinstance(value, Invalid):
                key = step.invalid_keys[value.reason]
                # No markup: the values fill the text, and none of them is a keyboard.
                await say(update, context, key, None, **step.invalid_values)
                return step.name
            return await save(update, context, value)

        return take

    def wrong_kind(self, name: str) -> Handler:
        """A message of the wrong kind at step `name` (a sticker where a name is asked, text
        where a button is): say what is expected, and stay at the step."""
        step = self.steps[name]

        async def reask(update: Update, context: SammenContext) -> State:
            if step.type_it_key is not None:
                await say(update, context, step.type_it_key)
                return step.name
            await say(update, context, "common.use_buttons")
            return await self.ask(update, context, step.name)

        return reask

    def states(self, review: Sequence[BaseHandler[Any, Any, Any]]) -> dict[object, list[Any]]:
        """The conversation's states: each step's handlers (typed answers first), then a catch
        for anything else; the review catches nothing else (text typed there belongs to
        whatever the person does next)."""
        states: dict[object, list[Any]] = {}
        for step in self.steps.values():
            handlers: list[Any] = list(step.handlers)
            if step.parse is not None:
                handlers.append(MessageHandler(_text(), self.typed(step.name)))
            if step.accepts is not None:
                handlers.append(MessageHandler(step.accepts, self.answer(step.name)))
            handlers.append(MessageHandler(_anything_else(), self._wrong_kind(step.name)))
            states[step.name] = [*self._language_switch(step.name), *handlers]
        states[self.review] = [*self._language_switch(self.review), *review]
        return states

    def _language_switch(self, name: str) -> list[BaseHandler[Any, Any, Any]]:
        """/language pressed half-way: the question waiting at `name` comes again, in the
        language just chosen (forms that read their own answers only)."""
        if self._answers is None:
            return []

        async def switched(update: Update, context: SammenContext) -> State:
            if not await switch_language(update, context):
                return name
            return await self.ask(update, context, name)

        return [CallbackQueryHandler(switched, pattern=LanguageButton.matches)]

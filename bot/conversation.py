"""The conversation: what a user typed or clicked becomes replies, the same on every platform."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy.exc import InterfaceError, OperationalError

from bot import button_values
from bot.cards import answer_card, status_card
from bot.feedback import FEEDBACK_ACTION, FEEDBACK_OFF, Feedback, codes_of, kept_question, rating_actions
from bot.feedback import form_for as feedback_form
from bot.forms import CHECK_FORM, EXPECTED_FORM, FORMS, Form
from bot.grammar import ACTION_NAMES, Command, closest, parse
from bot.guide import GUIDE_ACTION, decode, guide_reply
from bot.house_rules import (
    house_card,
    misspelt_rule_command,
    read_rule_command,
    rule_reply,
    typo_reply,
    unavailable_reply,
)
from bot.lesson import did_you_mean_action, help_reply, lesson_reply, mistakes_reply, unknown_command_reply
from bot.platform import (
    CONSOLE_PLATFORM,
    Platform,
    failure_reply,
    new_reference,
    shared_by,
    storage_unreachable_reply,
    typed_mode_unavailable,
)
from bot.privacy import (
    FORGET_ACTION,
    forget_click,
    forget_prompt,
    forget_unavailable,
    listing_choice,
    purge_expired,
    set_listing,
)
from bot.quiz.chat import PRACTICE_ACTION, QUIZ_HELP, QuizChat, Where
from bot.quiz.game import Player
from bot.quiz.options import OptionError, settings_from
from bot.quiz.replies import ANSWER_ACTION, CARD_ACTION, read_card_value
from bot.reply import Action, Reply, expired, note
from bot.review_card import USAGE, review_reply
from bot.storage.database import DatabaseUnusable
from bot.team import (
    ONLY_ADMINS,
    SettingsCache,
    TeamSettings,
    change,
    quiz_refusal,
    settings_reply,
    settings_unavailable,
)
from knowledge import Answer, HouseRule, Knowledge, ask, knowledge, quick_lookup, ruling

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.storage.house_rules import HouseRuleStore
    from bot.storage.team_store import TeamStore

log = logging.getLogger(__name__)

SHARE_ACTION = "statusbot.share"
SHARE_LIMIT = 60  # the question travels in the button: Discord's custom_id holds 100 characters in all
SHARE_KINDS = {"a": "ask", "c": "check"}
INSTANT_ACTIONS = {"guide", "mistakes", "lesson", "help"}  # answered from memory: no database, no scenario engine


class User(NamedTuple):
    """Who is talking: an id stable on the platform, and a display name (never used to mention)."""

    id: str
    name: str


class Place(NamedTuple):
    """Where the conversation happens, and whether the speaker moderates there (the adapter knows)."""

    workspace: str = "local"
    channel: str = "console"
    moderator: bool = False
    channel_name: str = ""  # shown where the channel is named back (the quiz channels), when the platform says


CONSOLE_USER = User("console", "you")
CONSOLE = Place()


def default_quiz(kb: Knowledge, engine: Engine | None = None) -> QuizChat:
    """The quiz on ``engine``, else on the configured database (DATABASE_URL, else the SQLite file) migrated now."""
    from bot.quiz.bank import Bank
    from bot.quiz.packs import load_packs
    from bot.quiz.service import QuizService
    from bot.storage.database import open_database
    from bot.storage.quiz_store import QuizStore
    from knowledge import situations

    if engine is None:
        engine = open_database()
    bank = Bank(kb, situations(), load_packs())
    quiz = QuizChat(kb, bank, QuizService(QuizStore(engine, questions=bank.by_id.get), bank, kb))
    try:  # at start-up: what outlived STATUSBOT_RETENTION_DAYS goes before anyone is answered
        purge_expired(quiz)
    except Exception:  # the quiz still opens; the chat adapters' quiz clock purges again within the hour
        log.exception("the retention purge failed")
    return quiz


class Conversation:
    """Answers commands and button clicks with platform-neutral replies."""

    def __init__(
        self,
        kb: Knowledge | None = None,
        *,
        prefix: str = "/",
        quiz: Callable[[], QuizChat] | None = None,
        platform: Platform = CONSOLE_PLATFORM,
        rules: Callable[[], HouseRuleStore] | None = None,
    ) -> None:
        self.kb = kb or knowledge()
        self.prefix = prefix
        self.platform = platform
        self._quiz_factory = quiz or (lambda: default_quiz(self.kb))
        self._quiz: QuizChat | None = None
        self._rules: HouseRuleStore | None = None
        self._rules_factory = rules or self._rules_beside_quiz
        self.quiz_error = ""  # why the quiz database could not be opened: said on each /quiz, never retried
        # told of every answer to a question: the chat adapters count them by kind (adapters/chat/metrics.py)
        self.answered: Callable[[Answer], None] | None = None
        # the most games one workspace may run at once, checked when a game is stored (set by the chat adapters)
        self.games_per_workspace: int | None = None
        self.rated: Callable[[str], None] | None = None  # told of each rating: right, wrong or corrected (metrics)
        self._team: TeamStore | None = None
        # each workspace's settings, briefly kept: a plain lookup is answered without reading the database
        self.team_settings = SettingsCache(self._load_settings)
        self._actions: dict[str, Callable[[Command, Place], Reply]] = {
            "ask": lambda command, place: self._ask(command, place),
            "guide": lambda *_: guide_reply(self.kb),
            "check": self._check,
            "mistakes": lambda *_: mistakes_reply(self.kb),
            "lesson": lambda *_: lesson_reply(self.kb),
            "help": lambda *_: help_reply(self.prefix),
        }

    @property
    def quiz(self) -> QuizChat:
        """The quiz side, opened (and its database migrated) on first use."""
        if self._quiz is None:
            if self.quiz_error:
                raise DatabaseUnusable(self.quiz_error)
            try:
                self._quiz = self._quiz_factory()
                self._quiz.service.games_per_workspace = self.games_per_workspace
            except DatabaseUnusable as error:
                self.quiz_error = str(error)
                raise
        return self._quiz

    @property
    def team(self) -> TeamStore:
        """Team settings and feedback, on the quiz's database (opened with it)."""
        if self._team is None:
            from bot.storage.team_store import TeamStore

            self._team = TeamStore(self.quiz.service.store.engine)
        return self._team

    def _load_settings(self, workspace: str) -> TeamSettings:
        return TeamSettings.from_json(self.team.load_settings(workspace))

    def settings_for(self, place: Place) -> TeamSettings:
        """The workspace's settings. While the database can't be read: the defaults without ratings (they could not
        be kept), remembered as long as settings are, so answers don't wait on the database again meanwhile."""
        try:
            return self.team_settings.get(place.workspace)
        except DatabaseUnusable:
            pass  # a setting to fix, said in one line by whatever needs the database
        except Exception:
            log.warning("could not read the settings of %s; using the defaults", place.workspace, exc_info=True)
        fallback = TeamSettings(feedback=False)
        self.team_settings.put(place.workspace, fallback)
        return fallback

    @property
    def house_rules(self) -> HouseRuleStore:
        """The house rules of every workspace, opened on first use."""
        if self._rules is None:
            self._rules = self._rules_factory()
        return self._rules

    def _rules_beside_quiz(self) -> HouseRuleStore:
        """By default the rules are kept in the quiz's database."""
        from bot.storage.house_rules import HouseRuleStore

        return HouseRuleStore(self.quiz.service.store.engine)

    def needs_moderator(self, command: str, argument: str) -> bool:
        """Whether answering depends on the user moderating the place (a platform may have to look it up)."""
        parsed = parse(f"/{command} {argument}")
        if parsed.command == "quiz" or parsed.action == "settings":
            return True
        return parsed.action == "rule" and read_rule_command(parsed.argument).verb in ("add", "remove")

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for: the quiz (its bank and database) and the
        scenario engine's index. A server calls this before it takes requests."""
        _ = self.quiz
        ask("what code for a duplicate email on signup")

    def on_text(self, text: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """The replies to one line (or pasted block) a user sent."""
        return self._safely(lambda: self._dispatch(parse(text), user, place))

    def on_command(self, command: str, argument: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """The replies to a platform slash command (``/status`` or ``/quiz`` with its text)."""
        return self.on_text(f"/{command} {argument}", user, place)

    def instant(
        self, command: str, argument: str, user: User = CONSOLE_USER, place: Place = CONSOLE
    ) -> list[Reply] | None:
        """The replies to a slash command when they need neither the database nor the scenario engine (a code,
        family, name, header or comparison looked up; help; the guide's first step), computed at once; None
        when answering takes longer, so an event loop can run :meth:`on_command` in a thread instead."""
        parsed = parse(f"/{command} {argument}")
        if parsed.command != "status" or parsed.action not in INSTANT_ACTIONS | {"ask"}:
            return None
        answer = None
        if parsed.action == "ask" and parsed.argument:
            answer = quick_lookup(parsed.argument)
            if answer is None:
                return None
        shown_per_setting = parsed.action in ("ask", "check") and self.platform.private_answers
        if shown_per_setting and self.team_settings.peek(place.workspace) is None:
            return None  # who may see an answer is a setting: read it off the event loop first (help never is)
        return self._safely(lambda: self._dispatch(parsed, user, place, answer))

    def form_for(self, command: str, argument: str) -> Form | None:
        """The form a platform should open instead of answering: ``/status check`` with nothing to check."""
        parsed = parse(f"/{command} {argument}")
        if parsed.command == "status" and parsed.action == "check" and not parsed.argument:
            return CHECK_FORM
        return None

    def form_for_action(self, action_id: str, value: str) -> tuple[Form, str] | None:
        """The form a button opens instead of answering (the code a 👎 expected), with the state its submission
        must bring back to :meth:`on_form`."""
        return feedback_form(value) if action_id == FEEDBACK_ACTION else None

    def on_form(
        self, form_id: str, text: str, user: User = CONSOLE_USER, place: Place = CONSOLE, state: str = ""
    ) -> list[Reply]:
        """The replies to a submitted form: the pasted exchange of the check form, the code a 👎 expected."""
        if form_id not in FORMS:
            return [expired("form")]
        if form_id == EXPECTED_FORM.id:
            return self._safely(
                lambda: [
                    self._feedback.typed(state, text, user.id) if self.settings_for(place).feedback else FEEDBACK_OFF
                ]
            )
        return self.on_command("status", f"check\n{text}" if text.strip() else "check", user, place)

    def home(self, place: Place = CONSOLE) -> list[Reply]:
        """A platform's home page for the bot: what it understands, and the workspace's leaderboard."""

        def replies() -> list[Reply]:
            board = self.quiz.command("leaderboard", "scope:server", Player("home", "home"), self._where(place))
            return [help_reply(self.prefix), *board]

        return self._safely(replies)

    def on_message(self, text: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """A plain channel message: a typed answer when a typed-mode game runs there, else nothing."""
        return self._safely(lambda: self.quiz.typed(text, Player(*user), self._where(place)))

    def on_action(self, action_id: str, value: str, user: User = CONSOLE_USER, place: Place = CONSOLE) -> list[Reply]:
        """The replies to a button click: ``action_id`` names the handler, ``value`` carries its state."""

        def handle() -> list[Reply]:
            if action_id == GUIDE_ACTION:
                path = decode(value)
                if path is not None:
                    return [guide_reply(self.kb, path)._replace(replace=True, private=self.platform.private_answers)]
            if action_id == SHARE_ACTION:
                kind, question = button_values.decode(value, 2) or ("", "")
                if kind in SHARE_KINDS and question.strip():
                    command = parse(f"/status {SHARE_KINDS[kind]} {question}")
                    answer = self._actions[SHARE_KINDS[kind]](command, place)
                    return [shared_by(answer, user.name)]
            if action_id == CARD_ACTION:
                code = read_card_value(value)
                status = None if code is None else self.kb.primary(code)
                if status is not None:
                    return [status_card(self.kb, status)._replace(private=True)]
            if action_id == ANSWER_ACTION:
                return self.quiz.click(value, Player(*user), self._where(place))
            if action_id == FORGET_ACTION:
                try:
                    return [forget_click(self.quiz, value, user.id, place.workspace, self.platform.name)]
                except DatabaseUnusable as error:
                    return [forget_unavailable(str(error))]
            if action_id == PRACTICE_ACTION:
                return self.quiz.practice_click(value, Player(*user), self._where(place), self._house_rules(place))
            if action_id == FEEDBACK_ACTION:
                if not self.settings_for(place).feedback:
                    return [FEEDBACK_OFF]
                return [self._feedback.click(value, user.id)]
            return [expired()]

        return self._safely(handle)

    def tick(self, place: Place = CONSOLE) -> list[Reply]:
        """Close a question whose time is up in this channel (for schedulers and consoles)."""
        if self._quiz is None:
            return []
        return self._safely(lambda: self.quiz.tick(place.channel))

    @staticmethod
    def _where(place: Place) -> Where:
        return Where(place.workspace, place.channel)

    def _dispatch(self, command: Command, user: User, place: Place, answer: Answer | None = None) -> list[Reply]:
        if command.action == "none":
            return []
        if command.action == "unknown":
            word = command.argument.split()[0] if command.argument.split() else command.argument
            return [unknown_command_reply(word, command.suggestion, self.prefix)]
        if command.command == "quiz":
            if command.action == "help" and command.argument.split():
                word = command.argument.split()[0]
                suggestion = closest(word, list(ACTION_NAMES["quiz"]))
                return [
                    note(
                        f"Did you mean {self.prefix}quiz {ACTION_NAMES['quiz'][suggestion]}?"
                        if suggestion
                        else f"I don't know {self.prefix}quiz {word[:40]}",
                        QUIZ_HELP,
                    )
                ]
            if command.action == "start":
                settings = self.settings_for(place)
                refused = quiz_refusal(settings, place.channel, self._moderates(user, place), self.prefix)
                if refused is not None:
                    return [refused]
                # the team's default options first: options given with this start win over them
                command = command._replace(argument=f"{settings.quiz_defaults} {command.argument}".strip())
            if command.action == "start" and not self.platform.channel_messages and self._typed(command.argument):
                return [typed_mode_unavailable(self.platform)]
            if command.action == "join" and (no_teams := self._no_team_game(place)):
                return [note(no_teams)]
            if command.action == "leaderboard" and (listed := listing_choice(command.argument)) is not None:
                return [set_listing(self.quiz, place.workspace, user.id, listed=listed, platform=self.platform.name)]
            if command.action == "start" and (problem := self._pack_problem(command.argument)):
                return [note("That question pack can't be played", problem)]
            rules = self._house_rules(place) if command.action in ("start", "practice") else ()
            return self.quiz.command(
                command.action,
                command.argument,
                Player(*user),
                self._where(place),
                moderator=place.moderator,
                rules=rules,
            )
        if command.action == "forget-me":
            return [forget_prompt(user.id, self.platform.name)]
        if command.action == "rule":
            return self._rule(command, user, place)
        if command.action == "ask" and (meant := misspelt_rule_command(command.argument)):
            return [typo_reply(meant)]  # not a question to answer (and keep for rating)
        if command.action == "settings":
            try:
                return [self._settings(command.argument, user, place)]
            except DatabaseUnusable as error:
                return [settings_unavailable(str(error))]
        if command.action == "ask":
            answer = answer or (ask(command.argument) if command.argument else None)
            reply, ruled = self._answer(command, place, answer)
            if not ruled:  # a house rule's answer is the team's choice: rating it would say nothing of the RFC code
                reply = self._rateable(reply, answer, command.argument, user, place)
        else:
            reply = self._actions[command.action](command, place)
        visible = command.action in ("ask", "check") and self._answers_to_channel(place)
        if self.platform.private_answers and not visible:
            reply = self._shareable(reply, command) if command.action in ("ask", "check") else reply
            reply = reply._replace(private=True)
        return [reply]

    def _answers_to_channel(self, place: Place) -> bool:
        """On a chat platform, whether the workspace chose to show /status answers to the whole channel."""
        return self.platform.private_answers and self.settings_for(place).visibility == "channel"

    def _settings(self, argument: str, user: User, place: Place) -> Reply:
        """/status settings: shown, or one changed, by an admin or moderator."""
        if not self._moderates(user, place):
            return ONLY_ADMINS
        settings = self._load_settings(place.workspace)  # fresh: another process may have changed one just now
        self.team_settings.put(place.workspace, settings)
        if not argument.strip():
            return settings_reply(settings, self.prefix)
        changed, reply = change(settings, argument, place.channel, place.channel_name, self.prefix)
        if changed is not None and changed.quiz_defaults != settings.quiz_defaults:
            # a pack that isn't there would make every /quiz start fail, which only an admin could undo
            unknown = self.quiz.unknown_pack(settings_from(changed.quiz_defaults).pack)
            if unknown is not None:
                return unknown
        if changed is not None:
            self.team.save_settings(place.workspace, changed.to_json())
            self.team_settings.put(place.workspace, changed)
        return reply

    @property
    def _feedback(self) -> Feedback:
        return Feedback(self.kb, self.team, self.rated)

    def _rateable(self, reply: Reply, answer: Answer | None, question: str, user: User, place: Place) -> Reply:
        """A situation's answer on a shared platform gets 👍/👎 when the workspace collects feedback; the answer is
        kept (so is a question the bot abstained on) until it is rated. Storage trouble never holds an answer up."""
        if answer is None or answer.kind != "scenario" or not self.platform.shared or reply.private:
            return reply
        if not self.settings_for(place).feedback:
            return reply
        try:
            row_id = self.team.record(
                place.workspace, user.id, kept_question(question), codes_of(answer), answer.certainty
            )
        except Exception:
            log.warning("could not keep an answer for its rating; answered without the buttons", exc_info=True)
            return reply
        return reply._replace(actions=(*reply.actions, *rating_actions(row_id)))

    @staticmethod
    def _typed(argument: str) -> bool:
        try:
            return settings_from(argument).mode == "typed"
        except OptionError:
            return False  # the quiz itself explains bad options

    def _no_team_game(self, place: Place) -> str:
        """Why /quiz join makes no sense here ('' when a team game runs): rather than ask which team to join."""
        game = self.quiz.service.current(place.channel)
        if game is None:
            return f"No game is running here. Start a team game with {self.prefix}quiz start teams:on."
        if not game.settings.teams:
            return f"This game isn't a team game. Next time, start one with {self.prefix}quiz start teams:on."
        return ""

    def _pack_problem(self, argument: str) -> str:
        """Why the pack a /quiz start names was skipped when the packs were loaded ('' when it is fine)."""
        from bot.quiz.packs import pack_problem

        try:
            pack = settings_from(argument).pack
        except OptionError:
            return ""  # the quiz itself explains bad options
        self.quiz  # noqa: B018 - opening the quiz loads the packs, and with them their errors
        return pack_problem(pack)

    def _shareable(self, reply: Reply, command: Command) -> Reply:
        """On chat platforms answers are private first; a button shares the same answer with the channel."""
        if reply.private or not command.argument or len(command.argument) > SHARE_LIMIT:
            return reply
        kind = "a" if command.action == "ask" else "c"
        share = Action(SHARE_ACTION, "Share in channel", button_values.encode(kind, command.argument))
        return reply._replace(private=True, actions=(*reply.actions, share))

    def _ask(self, command: Command, place: Place, answer: Answer | None = None) -> Reply:
        return self._answer(command, place, answer)[0]

    def _answer(self, command: Command, place: Place, answer: Answer | None = None) -> tuple[Reply, bool]:
        """The answer to a question, and whether a house rule gave it."""
        if not command.argument:
            return help_reply(self.prefix), False
        answer = answer or ask(command.argument)
        if self.answered is not None:
            self.answered(answer)
        if answer.kind == "invalid" and len(command.argument.split()) == 1:
            suggestion = did_you_mean_action(command.argument)
            if suggestion:
                return note(
                    f"Did you mean {self.prefix}status {suggestion}?",
                    answer.message,
                ), False
        house = ruling(self.kb, self._house_rules(place), command.argument) if answer.kind == "scenario" else None
        if house is not None:
            return house_card(self.kb, house), True
        reply = answer_card(self.kb, answer)
        return reply._replace(private=reply.private or answer.kind == "invalid"), False

    def _check(self, command: Command, place: Place) -> Reply:
        if not command.argument:
            return note("Check an exchange", USAGE)
        from knowledge.review import review

        return review_reply(self.kb, review(self.kb, command.argument, self._house_rules(place)))

    # -- house rules -----------------------------------------------------------------
    def _house_rules(self, place: Place) -> list[HouseRule]:
        """The place's house rules; none while the database can't be reached, so answers go on without them."""
        try:
            return [stored.rule for stored in self.house_rules.rules(place.workspace)]
        except Exception as error:
            if not isinstance(error, DatabaseUnusable) and not _storage_failed(error):
                raise
            log.warning("house rules unavailable, answering without them: %s", str(error).splitlines()[0][:200])
            return []

    @staticmethod
    def _moderates(user: User, place: Place) -> bool:
        """Admins and moderators of the place, as the platform says; in the terminal, the console's own user
        (not someone played with /as)."""
        return place.moderator or (user.id == CONSOLE_USER.id and place.workspace == CONSOLE.workspace)

    def _rule(self, command: Command, user: User, place: Place) -> list[Reply]:
        """/status rule add|list|remove; anything else after "rule" is a question."""
        wanted = read_rule_command(command.argument)
        if wanted.verb == "":
            return self._dispatch(command._replace(action="ask", argument=f"rule {command.argument}"), user, place)
        try:
            store = self.house_rules
        except DatabaseUnusable as error:
            return [unavailable_reply(str(error))]
        return [rule_reply(self.kb, store, wanted, place.workspace, user.id, self._moderates(user, place))]

    def _safely(self, handle: Callable[[], list[Reply]]) -> list[Reply]:
        try:
            return handle()
        except DatabaseUnusable as error:  # a setting to fix, not a bug: one line, no traceback
            return [quiz_unavailable_reply(str(error))]
        except Exception as error:  # the last line of defence: a user's text must never take the bot down
            reference = new_reference()
            log.exception("statusbot failed to answer (reference %s)", reference)
            return [storage_unreachable_reply(reference) if _storage_failed(error) else failure_reply(reference)]


def _storage_failed(error: Exception) -> bool:
    """The database went away (a connection lost or refused), as opposed to a bug."""
    return isinstance(error, OperationalError | InterfaceError)


def quiz_unavailable_reply(reason: str) -> Reply:
    """The one line /quiz answers while its database cannot be opened: which setting, and what it should be."""
    return note(f"The quiz is unavailable: {reason}")

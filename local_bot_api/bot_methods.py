"""Bot API methods about the bot itself: identity, updates, callback answers, settings, files."""

from __future__ import annotations

from typing import Any

from local_bot_api.errors import QUERY_TOO_OLD, ApiError, bad_request
from local_bot_api.limits import check_alert_text, check_commands
from local_bot_api.models import ChatEvent
from local_bot_api.world import Handler, World

_WEBHOOK_ACTIVE = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first",
)
_CHAT_SCOPES = ("chat", "chat_administrators", "chat_member")
_DEFAULT_MENU_BUTTON = {"type": "default"}


async def get_me(world: World, params: dict[str, Any]) -> dict[str, Any]:
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    if world.webhook is not None:
        raise _WEBHOOK_ACTIVE
    return await world.updates.get(
        offset=params.get("offset"),
        limit=params.get("limit", 100),
        timeout=params.get("timeout", 0),
        allowed_updates=params.get("allowed_updates"),
    )


async def set_webhook(world: World, params: dict[str, Any]) -> bool:
    # Stored only: updates keep waiting for getUpdates; nothing is pushed to the URL.
    if params.get("drop_pending_updates"):
        world.updates.drop_pending()
    world.webhook = {"url": params["url"]} if params["url"] else None
    return True


async def delete_webhook(world: World, params: dict[str, Any]) -> bool:
    if params.get("drop_pending_updates"):
        world.updates.drop_pending()
    world.webhook = None
    return True


async def get_webhook_info(world: World, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": (world.webhook or {}).get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": world.updates.pending_count,
    }


async def log_out(world: World, params: dict[str, Any]) -> bool:
    return True


async def answer_callback_query(world: World, params: dict[str, Any]) -> bool:
    check_alert_text(params.get("text"))
    user_id = world.open_queries.pop(params["callback_query_id"], None)
    if user_id is None:
        raise bad_request(QUERY_TOO_OLD)
    answer = {"text": params.get("text"), "show_alert": bool(params.get("show_alert", False))}
    if params.get("url"):
        answer["url"] = params["url"]
    world.alerts[user_id].append(answer)
    world.emit(ChatEvent("callback_answer", user_id, answer=answer))
    world.touch(user_id)
    return True


def scope_key(world: World, scope: dict[str, Any] | None) -> str:
    """ "default", "all_private_chats", "chat:123", "chat_member:123:456", ..."""
    if scope is None:
        return "default"
    kind = scope["type"]
    if kind not in _CHAT_SCOPES:
        return kind
    world.chat_state(scope["chat_id"])
    if kind == "chat_member":
        return f"{kind}:{scope['chat_id']}:{scope['user_id']}"
    return f"{kind}:{scope['chat_id']}"


def _commands_key(world: World, params: dict[str, Any]) -> tuple[str, str]:
    return scope_key(world, params.get("scope")), params.get("language_code") or ""


async def set_my_commands(world: World, params: dict[str, Any]) -> bool:
    commands = params["commands"]
    check_commands(commands)
    key = _commands_key(world, params)
    if commands:
        world.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
    else:
        world.commands.pop(key, None)
    return True


async def get_my_commands(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    return list(world.commands.get(_commands_key(world, params), []))


async def delete_my_commands(world: World, params: dict[str, Any]) -> bool:
    world.commands.pop(_commands_key(world, params), None)
    return True


def _bot_text_setter(field: str) -> Handler:
    async def setter(world: World, params: dict[str, Any]) -> bool:
        key = (field, params.get("language_code") or "")
        if params.get(field):
            world.bot_texts[key] = params[field]
        else:
            world.bot_texts.pop(key, None)
        return True

    return setter


def _bot_text_getter(field: str) -> Handler:
    async def getter(world: World, params: dict[str, Any]) -> dict[str, str]:
        language = params.get("language_code") or ""
        default = world.bot_user["first_name"] if field == "name" else ""
        text = world.bot_texts.get((field, language), world.bot_texts.get((field, ""), default))
        return {field: text}

    return getter


async def set_chat_menu_button(world: World, params: dict[str, Any]) -> bool:
    chat_id = params.get("chat_id")
    if chat_id is not None:
        world.chat_state(chat_id)
    world.menu_buttons[chat_id] = params.get("menu_button") or _DEFAULT_MENU_BUTTON
    return True


async def get_chat_menu_button(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = params.get("chat_id")
    button = world.menu_buttons.get(chat_id) or world.menu_buttons.get(None)
    return button or _DEFAULT_MENU_BUTTON


async def get_file(world: World, params: dict[str, Any]) -> dict[str, Any]:
    stored = world.files.get(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.as_file()


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "logOut": log_out,
    "close": log_out,
    "answerCallbackQuery": answer_callback_query,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": _bot_text_setter("description"),
    "getMyDescription": _bot_text_getter("description"),
    "setMyShortDescription": _bot_text_setter("short_description"),
    "getMyShortDescription": _bot_text_getter("short_description"),
    "setMyName": _bot_text_setter("name"),
    "getMyName": _bot_text_getter("name"),
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getFile": get_file,
}

"""Publishers: what posts a reply on its platform, behind one interface.

`publisher_for(account).publish(reply)` posts the reply's text as an answer to its mention and
returns the platform's id (and link) of the posted reply, or raises:

- `RetryLater(retry_after)`: the platform said "not now" (rate limit, flood control, a 5xx) or
  could not be reached at all: nothing was posted, the same call may be made again;
- `PublishRefused`: the platform refused for good (the post was deleted, comments are closed,
  the token is wrong): retrying cannot help;
- `OutcomeUnknown`: the request went out and no answer came back (read timeout, a broken
  connection): it may have been posted, so it is never repeated blindly.

The default publisher is manual (no account): the operator posts the reply and records its
link. Telegram (Bot API `sendMessage`, replying to the message) and VK (`wall.createComment`,
replying to the comment) post through accounts configured in the admin (`PublisherAccount`),
chosen per source first, then per platform. Network calls have connect and read timeouts and
never run inside a request.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from dataclasses import dataclass

from django.conf import settings

from responses.models import PLATFORM_PUBLISHERS, PublisherAccount, Reply

TELEGRAM_API = "https://api.telegram.org"
VK_API = "https://api.vk.com"
VK_API_VERSION = "5.199"


class PublishError(Exception):
    pass


class RetryLater(PublishError):
    def __init__(self, message: str, retry_after: int = 30):
        super().__init__(message)
        self.retry_after = retry_after


class PublishRefused(PublishError):
    pass


class OutcomeUnknown(PublishError):
    pass


@dataclass(frozen=True)
class Published:
    external_id: str
    external_url: str = ""


def account_for(mention) -> PublisherAccount | None:
    """The account that posts replies to `mention`: its source's, else its platform's."""
    kind = PLATFORM_PUBLISHERS.get(mention.platform)
    if kind is None:
        return None
    accounts = PublisherAccount.objects.filter(kind=kind, active=True)
    return (
        accounts.filter(source_id=mention.source_id).order_by("id").first()
        or accounts.filter(source__isnull=True).order_by("id").first()
    )


def _timeouts() -> tuple[float, float]:
    return settings.SCRM_PUBLISH_CONNECT_TIMEOUT, settings.SCRM_PUBLISH_READ_TIMEOUT


def _post_form(url: str, params: dict) -> tuple[int, dict]:
    """POST `params` form-encoded; (status, decoded JSON). A failure to connect or to send the
    request is RetryLater (nothing reached the platform); a lost answer is OutcomeUnknown."""
    connect_timeout, read_timeout = _timeouts()
    parsed = urllib.parse.urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parsed.hostname, parsed.port, timeout=connect_timeout)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    data = urllib.parse.urlencode(params).encode()
    try:
        try:
            connection.connect()
            connection.sock.settimeout(read_timeout)
            connection.request(
                "POST",
                path,
                body=data,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except OSError as exc:
            raise RetryLater(f"Could not reach {parsed.hostname}: {exc}", retry_after=30) from exc
        try:
            response = connection.getresponse()
            return response.status, _json(response.read())
        except (OSError, http.client.HTTPException) as exc:
            raise OutcomeUnknown(f"No answer from {parsed.hostname}: {exc}") from exc
    finally:
        connection.close()


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _digits(value: str) -> str:
    match = re.search(r"-?\d+", value or "")
    return match.group() if match else ""


class TelegramPublisher:
    """Bot API `sendMessage` to the mention's chat, replying to its message.

    The chat is the mention's `extra.chat_id` (or its `discussion_id`), the message its
    `external_id`. The token goes in the path (`/bot<token>/sendMessage`), as the Bot API
    documents. 429 carries `parameters.retry_after`; a 400 (message to reply to not found,
    chat not found) or 403 (the bot was blocked or removed) is final."""

    def __init__(self, account: PublisherAccount):
        self.account = account
        self.base = (account.api_base_url or TELEGRAM_API).rstrip("/")

    def target(self, mention) -> tuple[str, str]:
        extra = (mention.raw or {}).get("extra") or {}
        chat_id = str(extra.get("chat_id") or mention.discussion_id or "")
        message_id = _digits(mention.external_id)
        if not chat_id or not message_id:
            raise PublishRefused("The mention does not say which Telegram chat and message it is.")
        return chat_id, message_id

    def publish(self, reply: Reply) -> Published:
        chat_id, message_id = self.target(reply.mention)
        status, body = _post_form(
            f"{self.base}/bot{self.account.token}/sendMessage",
            {
                "chat_id": chat_id,
                "text": reply.text,
                "reply_parameters": json.dumps({"message_id": int(message_id)}),
            },
        )
        if status == 200 and body.get("ok"):
            result = body.get("result") or {}
            sent_id = str(result.get("message_id", ""))
            username = (result.get("chat") or {}).get("username")
            url = f"https://t.me/{username}/{sent_id}" if username and sent_id else ""
            return Published(external_id=f"{chat_id}:{sent_id}", external_url=url)
        description = body.get("description") or f"HTTP {status}"
        if status == 429 or status >= 500:
            retry_after = (body.get("parameters") or {}).get("retry_after")
            retry_after = int(retry_after) if isinstance(retry_after, int) else 30
            raise RetryLater(f"Telegram: {description}", retry_after=retry_after)
        raise PublishRefused(f"Telegram: {description}")


# VK error codes (https://dev.vk.com/ru/reference/errors): 6 too many requests per second,
# 9 flood control, 10 internal error, 29 rate limit reached: retry later; the rest are final
# (15 access denied, 100 bad parameter — a deleted post —, 212/213 comments closed, 5 token).
_VK_RETRY = {6: 2, 9: 600, 10: 30, 29: 3600}


class VKPublisher:
    """`wall.createComment` on the mention's wall post, replying to its comment.

    The post is read from the mention's URL (`wall<owner>_<post>`); a mention that is a
    comment (it has a parent) is replied to with `reply_to_comment`. The access token and the
    API version go in the POST parameters, as VK documents; `from_group` posts as the
    community."""

    def __init__(self, account: PublisherAccount):
        self.account = account
        self.base = (account.api_base_url or VK_API).rstrip("/")

    def target(self, mention) -> tuple[str, str, str]:
        match = re.search(r"wall(-?\d+)_(\d+)", mention.url or "")
        if not match:
            raise PublishRefused("The mention's link does not name a VK wall post.")
        owner_id, post_id = match.groups()
        comment = _digits(mention.external_id) if mention.parent_external_id else ""
        return owner_id, post_id, comment

    def publish(self, reply: Reply) -> Published:
        owner_id, post_id, comment = self.target(reply.mention)
        params = {
            "owner_id": owner_id,
            "post_id": post_id,
            "message": reply.text,
            "access_token": self.account.token,
            "v": VK_API_VERSION,
        }
        if comment:
            params["reply_to_comment"] = comment
        if self.account.group_id:
            params["from_group"] = self.account.group_id.lstrip("-")
        status, body = _post_form(f"{self.base}/method/wall.createComment", params)
        if status >= 500:
            raise RetryLater(f"VK: HTTP {status}", retry_after=30)
        if "response" in body:
            comment_id = str((body["response"] or {}).get("comment_id", ""))
            url = f"https://vk.com/wall{owner_id}_{post_id}?reply={comment_id}"
            return Published(external_id=f"{owner_id}_{post_id}_{comment_id}", external_url=url)
        error = body.get("error") or {}
        code = error.get("error_code")
        message = f"VK error {code}: {error.get('error_msg') or f'HTTP {status}'}"
        if code in _VK_RETRY:
            raise RetryLater(message, retry_after=_VK_RETRY[code])
        raise PublishRefused(message)


PUBLISHERS = {
    PublisherAccount.Kind.TELEGRAM: TelegramPublisher,
    PublisherAccount.Kind.VK: VKPublisher,
}


def publisher_for(account: PublisherAccount):
    return PUBLISHERS[account.kind](account)

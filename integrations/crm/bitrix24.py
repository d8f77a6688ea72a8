"""Bitrix24 through an incoming webhook (the URL is the credential): `crm.contact.list` to
find, `crm.contact.add` to create, `crm.timeline.comment.add` for the timeline,
`crm.contact.delete` to forget. Over the leaky bucket Bitrix24 answers 503
`QUERY_LIMIT_EXCEEDED`: retried after a second."""

import contextlib

from integrations.crm.base import Connector, CrmError, Interaction, Person, RemoteNotFound

# Bitrix24 has no Instagram/Telegram web type; the profile URL goes in WEB as OTHER, the handle
# in IM where the messenger exists.
IM_TYPES = {"telegram": "TELEGRAM", "vk": "VK"}


class Bitrix24(Connector):
    def _method(self, name: str, body: dict) -> dict:
        base = self.config.base_url.rstrip("/")
        status, data = self.call(f"{base}/{name}.json", body)
        error = data.get("error")
        if status == 503 or error == "QUERY_LIMIT_EXCEEDED":
            raise CrmError("Bitrix24 QUERY_LIMIT_EXCEEDED", retry_after=1.0)
        if status in (401, 403) or error in ("INVALID_CREDENTIALS", "insufficient_scope"):
            raise CrmError(f"Bitrix24 refused the webhook: {error or status}", permanent=True)
        if error == "NOT_FOUND" or "not found" in str(data.get("error_description", "")).lower():
            raise RemoteNotFound(f"Bitrix24: {data.get('error_description') or error}")
        if status >= 500:
            raise CrmError(f"Bitrix24 HTTP {status}")
        if status >= 400 or error:
            raise CrmError(f"Bitrix24 {status}: {error} {data.get('error_description', '')}")
        return data

    def _first_id(self, filter_: dict) -> str | None:
        data = self._method("crm.contact.list", {"filter": filter_, "select": ["ID"]})
        found = data.get("result") or []
        return str(found[0]["ID"]) if found else None

    def find_contact(self, person: Person) -> str | None:
        if person.crm_external_id:
            found = self._first_id({"ID": person.crm_external_id})
            if found:
                return found
        for url in person.profile_urls:
            found = self._first_id({"WEB": url})
            if found:
                return found
        for platform, handle in person.handles:
            if platform in IM_TYPES:
                found = self._first_id({"IM": handle})
                if found:
                    return found
        return None

    def create_contact(self, person: Person) -> str:
        fields = {
            "NAME": person.name or "—",
            "OPENED": "Y",
            "TYPE_ID": "CLIENT",
            "SOURCE_ID": "OTHER",
            "SOURCE_DESCRIPTION": "Social CRM",
        }
        if person.profile_urls:
            fields["WEB"] = [{"VALUE": u, "VALUE_TYPE": "OTHER"} for u in person.profile_urls]
        ims = [{"VALUE": h, "VALUE_TYPE": IM_TYPES[p]} for p, h in person.handles if p in IM_TYPES]
        if ims:
            fields["IM"] = ims
        data = self._method(
            "crm.contact.add", {"fields": fields, "params": {"REGISTER_SONET_EVENT": "N"}}
        )
        return str(data["result"])

    def add_note(self, contact_id: str, interaction: Interaction) -> str:
        data = self._method(
            "crm.timeline.comment.add",
            {
                "fields": {
                    "ENTITY_ID": int(contact_id),
                    "ENTITY_TYPE": "contact",
                    "COMMENT": interaction.text,
                }
            },
        )
        return str(data["result"])

    def delete_contact(self, contact_id: str) -> None:
        with contextlib.suppress(RemoteNotFound):  # already gone
            self._method("crm.contact.delete", {"id": int(contact_id)})

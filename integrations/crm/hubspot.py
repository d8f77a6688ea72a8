"""HubSpot CRM v3 with a private app's token: contacts found by id (the author's
`crm_external_id`), then by the `scrm_profile_url` and `scrm_handle` contact properties (create
them in HubSpot, the first as a unique value), created with `POST /crm/v3/objects/contacts`;
notes with `POST /crm/v3/objects/notes` associated to the contact (type 202); a forgotten
author's contact deleted. 429 answers are retried after their `Retry-After`."""

import contextlib

from integrations.crm.base import Connector, CrmError, Interaction, Person, RemoteNotFound

NOTE_TO_CONTACT = 202


class HubSpot(Connector):
    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        base = self.config.base_url.rstrip("/")
        status, data = self.call(
            f"{base}{path}",
            body,
            method=method,
            headers={"authorization": f"Bearer {self.config.token}"},
        )
        if status == 401 or status == 403:
            raise CrmError(
                f"HubSpot refused the token: {data.get('message', status)}", permanent=True
            )
        if status == 404:
            raise RemoteNotFound(f"HubSpot: {data.get('message', 'not found')}")
        if status >= 500:
            raise CrmError(f"HubSpot HTTP {status}")
        if status >= 400:
            raise CrmError(f"HubSpot {status}: {data.get('message', '')}"[:300])
        return data

    def _search(self, prop: str, value: str) -> str | None:
        data = self._request(
            "POST",
            "/crm/v3/objects/contacts/search",
            {
                "filterGroups": [
                    {"filters": [{"propertyName": prop, "operator": "EQ", "value": value}]}
                ],
                "properties": ["firstname", prop],
                "limit": 1,
            },
        )
        found = data.get("results") or []
        return str(found[0]["id"]) if found else None

    def find_contact(self, person: Person) -> str | None:
        if person.crm_external_id:
            try:
                return str(
                    self._request("GET", f"/crm/v3/objects/contacts/{person.crm_external_id}")["id"]
                )
            except RemoteNotFound:
                pass
        for url in person.profile_urls:
            found = self._search("scrm_profile_url", url)
            if found:
                return found
        for _, handle in person.handles:
            found = self._search("scrm_handle", handle)
            if found:
                return found
        return None

    def create_contact(self, person: Person) -> str:
        properties = {"firstname": person.name or "—"}
        if person.profile_urls:
            properties["scrm_profile_url"] = person.profile_urls[0]
        if person.handles:
            properties["scrm_handle"] = person.handles[0][1]
        data = self._request("POST", "/crm/v3/objects/contacts", {"properties": properties})
        return str(data["id"])

    def add_note(self, contact_id: str, interaction: Interaction) -> str:
        data = self._request(
            "POST",
            "/crm/v3/objects/notes",
            {
                "properties": {"hs_timestamp": interaction.at, "hs_note_body": interaction.text},
                "associations": [
                    {
                        "to": {"id": contact_id},
                        "types": [
                            {
                                "associationCategory": "HUBSPOT_DEFINED",
                                "associationTypeId": NOTE_TO_CONTACT,
                            }
                        ],
                    }
                ],
            },
        )
        return str(data["id"])

    def delete_contact(self, contact_id: str) -> None:
        with contextlib.suppress(RemoteNotFound):  # already gone
            self._request("DELETE", f"/crm/v3/objects/contacts/{contact_id}")

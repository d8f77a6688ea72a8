"""amoCRM / Kommo API v4 with OAuth 2.0: contacts found with `GET /api/v4/contacts?query=`
(by id first, the author's `crm_external_id`; then profile URL, then handle), created with
`POST /api/v4/contacts`, notes added with `POST /api/v4/contacts/notes` (`common`). A 401 with
an expired access token refreshes it once (`POST /oauth2/access_token`, refresh_token grant)
and the new pair is stored. amoCRM's API cannot delete a contact: forgetting a person renames
the contact and clears what identified them."""

import contextlib
from urllib.parse import quote

from integrations.crm.base import Connector, CrmError, Interaction, Person, RemoteNotFound
from integrations.models import CrmConnector

FORGOTTEN = "Forgotten (erasure request)"


class AmoCRM(Connector):
    def _request(self, method: str, path: str, body=None, *, refreshed=False) -> dict:
        base = self.config.base_url.rstrip("/")
        status, data = self.call(
            f"{base}{path}",
            body,
            method=method,
            headers={"authorization": f"Bearer {self.config.token}"},
        )
        if status == 401 and not refreshed:
            self._refresh()
            return self._request(method, path, body, refreshed=True)
        if status in (401, 403):
            raise CrmError(
                f"amoCRM refused the token: {data.get('detail', status)}", permanent=True
            )
        if status == 204 and method == "GET":
            return {}
        if status == 404:
            raise RemoteNotFound(f"amoCRM: {data.get('detail', 'not found')}")
        if status >= 500:
            raise CrmError(f"amoCRM HTTP {status}")
        if status >= 400:
            raise CrmError(f"amoCRM {status}: {data.get('detail', '')}"[:300])
        return data

    def _refresh(self) -> None:
        oauth = self.config.oauth or {}
        if not oauth.get("refresh_token"):
            raise CrmError("amoCRM token expired and no refresh token is set.", permanent=True)
        base = self.config.base_url.rstrip("/")
        status, data = self.call(
            f"{base}/oauth2/access_token",
            {
                "client_id": oauth.get("client_id", ""),
                "client_secret": oauth.get("client_secret", ""),
                "grant_type": "refresh_token",
                "refresh_token": oauth["refresh_token"],
                "redirect_uri": oauth.get("redirect_uri", ""),
            },
        )
        if status != 200 or "access_token" not in data:
            raise CrmError(f"amoCRM refused the refresh token ({status}).", permanent=True)
        self.config.token = data["access_token"]
        self.config.oauth = {
            **oauth,
            "refresh_token": data.get("refresh_token", oauth["refresh_token"]),
        }
        CrmConnector.objects.filter(pk=self.config.pk).update(
            token=self.config.token, oauth=self.config.oauth
        )

    def _query(self, value: str) -> str | None:
        data = self._request("GET", f"/api/v4/contacts?query={quote(value, safe='')}&limit=1")
        found = (data.get("_embedded") or {}).get("contacts") or []
        return str(found[0]["id"]) if found else None

    def find_contact(self, person: Person) -> str | None:
        if person.crm_external_id:
            with contextlib.suppress(RemoteNotFound):
                found = self._request("GET", f"/api/v4/contacts/{person.crm_external_id}")
                if found.get("id"):
                    return str(found["id"])
        for value in [*person.profile_urls, *(h for _, h in person.handles)]:
            found = self._query(value)
            if found:
                return found
        return None

    def create_contact(self, person: Person) -> str:
        contact = {
            "name": person.name or "—",
            "_embedded": {"tags": [{"name": "social-crm"}]},
            "request_id": f"scrm-author-{person.author_id}",
        }
        notes = [*person.profile_urls, *(f"{p}: {h}" for p, h in person.handles)]
        data = self._request("POST", "/api/v4/contacts", [contact])
        contact_id = str(data["_embedded"]["contacts"][0]["id"])
        if notes:  # where to find the person, searchable by `query`
            self._request(
                "POST",
                "/api/v4/contacts/notes",
                [
                    {
                        "entity_id": int(contact_id),
                        "note_type": "common",
                        "params": {"text": "\n".join(notes)},
                    }
                ],
            )
        return contact_id

    def add_note(self, contact_id: str, interaction: Interaction) -> str:
        data = self._request(
            "POST",
            "/api/v4/contacts/notes",
            [
                {
                    "entity_id": int(contact_id),
                    "note_type": "common",
                    "params": {"text": interaction.text},
                    "request_id": f"scrm-{interaction.kind}-{interaction.mention_id}",
                }
            ],
        )
        return str(data["_embedded"]["notes"][0]["id"])

    def delete_contact(self, contact_id: str) -> None:
        with contextlib.suppress(RemoteNotFound):  # already gone
            self._request(
                "PATCH",
                "/api/v4/contacts",
                [{"id": int(contact_id), "name": FORGOTTEN, "custom_fields_values": None}],
            )

"""CRM connectors, one class per vendor behind `base.Connector`."""

from integrations.crm.amocrm import AmoCRM
from integrations.crm.bitrix24 import Bitrix24
from integrations.crm.hubspot import HubSpot

CONNECTORS = {"bitrix24": Bitrix24, "hubspot": HubSpot, "amocrm": AmoCRM}

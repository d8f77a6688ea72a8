"""Ready-made subject lists, as an operator of a monitoring tool would type them.

`TELECOM_OPERATORS` covers the seven operators of the SentiRuEval-2016 telecom collection; its keys
are the collection's column names. Aliases are the Russian and Latin names, the legal names people
also write (Beeline's operator is VimpelCom), spaced spellings, and the operators' Twitter handles.
Inflections, misspellings, hashtags and handles that contain a name are the matcher's job, not the
catalog's.
"""

from mentions.matching import SubjectAliases

TELECOM_OPERATORS: tuple[SubjectAliases, ...] = (
    SubjectAliases(
        key="beeline",
        name="Билайн",
        aliases=("Beeline", "ВымпелКом", "VimpelCom", "@Beeline_RUS", "@beeline"),
    ),
    SubjectAliases(
        key="mts",
        name="МТС",
        aliases=("MTS", "Мобильные ТелеСистемы", "@ru_mts", "@mts_news"),
    ),
    SubjectAliases(
        key="megafon",
        name="МегаФон",
        aliases=("MegaFon", "@MegaFonRu", "@MegaFonHelp"),
    ),
    SubjectAliases(
        key="tele2",
        name="Tele2",
        aliases=("Теле2", "Теле 2", "Tele 2", "@Tele2Russia"),
    ),
    SubjectAliases(
        key="rostelecom",
        name="Ростелеком",
        aliases=("Rostelecom", "@Rostelecom_News"),
    ),
    SubjectAliases(
        key="komstar",
        name="Комстар",
        aliases=("Comstar", "Komstar"),
    ),
    SubjectAliases(
        key="skylink",
        name="Скайлинк",
        aliases=("Skylink", "Скай Линк"),
    ),
)

"""Each report as one flat table (a header and rows), for the CSV and XLSX downloads and the
dashboard's "data" links. A row per (period, thing); `start` is `total` on the rows that sum
the whole range."""

TOTAL = "total"


def _sov(data: dict) -> tuple[list[str], list[list]]:
    header = ["start", "subject", "name", "is_own", "mentions", "value", "share_percent"]
    rows = []
    for s in data["subjects"]:
        head = [s["key"], s["name"], s["is_own"]]
        rows.append([TOTAL, *head, s["mentions"], s["value"], s["share_percent"]])
        for p in s["periods"]:
            rows.append([p["start"], *head, p["mentions"], p["value"], p["share_percent"]])
    return header, rows


def _sentiment(data: dict) -> tuple[list[str], list[list]]:
    header = ["start", "subject", "source_type", "positive", "neutral", "negative", "net"]
    rows = []

    def add(key, series):
        for source_type in ("social", "media"):
            b = series[source_type]
            rows.append([TOTAL, key, source_type, *(b[k] for k in header[3:])])
        for p in series["periods"]:
            for source_type in ("social", "media"):
                b = p[source_type]
                rows.append([p["start"], key, source_type, *(b[k] for k in header[3:])])

    add("(all)", data["all"])
    for s in data["subjects"]:
        add(s["key"], s)
    return header, rows


ENGAGEMENT = ["mentions", "likes", "comments", "reposts", "engagement", "views", "reach"]


def _engagement(data: dict) -> tuple[list[str], list[list]]:
    header = ["start", "breakdown", "key", *ENGAGEMENT]
    rows = []

    def add(breakdown, key, series):
        rows.append([TOTAL, breakdown, key, *(series[k] for k in ENGAGEMENT)])
        for p in series["periods"]:
            rows.append([p["start"], breakdown, key, *(p[k] for k in ENGAGEMENT)])

    add("all", "", data)
    for p in data["platforms"]:
        add("platform", p["platform"], p)
    for s in data["subjects"]:
        add("subject", s["key"], s)
    return header, rows


def _cycle(data: dict) -> tuple[list[str], list[list]]:
    header = ["kind", "start", "category", "to_category", "count", "authors"]
    rows = []
    for c in [*data["categories"], data["unclassified"]]:
        key = c["key"] or "(unclassified)"
        rows.append(["mentions", TOTAL, key, "", c["mentions"], ""])
        for p in c["periods"]:
            rows.append(["mentions", p["start"], key, "", p["mentions"], ""])
    for t in data["transitions"]:
        rows.append(["move", TOTAL, t["from"], t["to"], t["moves"], t["authors"]])
    return header, rows


SUPPORT = [
    "received",
    "processed",
    "answered",
    "closed",
    "open",
    "answered_percent",
    "processed_percent",
    "first_response_median_seconds",
    "first_response_p90_seconds",
    "sla_breaches",
    "sla_breach_percent",
    "reopened",
]


def _support(data: dict) -> tuple[list[str], list[list]]:
    header = ["start", "breakdown", "key", *SUPPORT]
    rows = [[TOTAL, "all", "", *(data[k] for k in SUPPORT)]]
    for p in data["periods"]:
        rows.append([p["start"], "all", "", *(p[k] for k in SUPPORT)])
    for breakdown, items, name in (
        ("category", data["categories"], "key"),
        ("team", data["teams"], "key"),
        ("operator", data["operators"], "username"),
    ):
        for item in items:
            rows.append([TOTAL, breakdown, item[name] or "", *(item[k] for k in SUPPORT)])
    return header, rows


def _advocates(data: dict) -> tuple[list[str], list[list]]:
    header = ["start", "new_advocates", "advocates", "new_detractors", "detractors"]
    rows = [[p[k] for k in header] for p in data["periods"]]
    return header, rows


TABLES = {
    "share-of-voice": _sov,
    "sentiment": _sentiment,
    "engagement": _engagement,
    "consumer-cycle": _cycle,
    "support": _support,
    "advocates": _advocates,
}


def report_table(name: str, data: dict) -> tuple[list[str], list[list]]:
    return TABLES[name](data)

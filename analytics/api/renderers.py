"""CSV and XLSX renderers for the reports' `{"header": [...], "rows": [[...], ...]}` tables."""

import csv
import io

from openpyxl import Workbook
from rest_framework.renderers import BaseRenderer


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(data["header"])
        for row in data["rows"]:
            # A cell a spreadsheet would read as a formula is quoted with a leading apostrophe.
            writer.writerow(
                [
                    f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else _cell(c)
                    for c in row
                ]
            )
        # With a byte-order mark, Excel reads the names of subjects in Cyrillic as UTF-8.
        return ("\ufeff" + out.getvalue()).encode("utf-8")


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=(renderer_context or {}).get("sheet", "report")[:31])
        sheet.append(data["header"])
        for row in data["rows"]:
            sheet.append([_cell(c) for c in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

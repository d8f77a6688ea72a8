import pytest

from analytics import rollups
from tests.analytics.world import build_world


@pytest.fixture(params=["mentions", "rollups"])
def world(request, settings):
    """The fixed world, read by the reports two ways: from the mentions alone (roll-ups off),
    and from the daily roll-ups built over it (every figure must be the same)."""
    built = build_world()
    if request.param == "rollups":
        settings.SCRM_REPORT_ROLLUPS = True
        rollups.rebuild()
    else:
        settings.SCRM_REPORT_ROLLUPS = False
    built["reading"] = request.param
    return built

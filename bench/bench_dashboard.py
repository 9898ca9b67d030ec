"""The leadership dashboard at ten times the seed's scale (data built by the other modules):
the page and the API warm (figures cached), and after an invalidation (every figure and
breakdown recomputed: what the first reader sees after a write). Target: 100 ms median."""

PERIOD = "2023-11"


class _AfterEachWrite:
    """The bench client, with the figures invalidated before each request (as a write does)."""

    def __init__(self, client):
        self.client = client

    def force_login(self, user):
        self.client.force_login(user)

    def get(self, *args, **kwargs):
        from apps.core import figures

        figures.invalidate()
        return self.client.get(*args, **kwargs)


def run(report) -> None:
    leader = report.user("领导")
    report.section("dashboard")
    page = f"/dashboard/?period={PERIOD}"
    api = f"/api/dashboard/?period={PERIOD}"
    report.time_url("dashboard page, warm", page, user=leader, target_ms=100)
    report.time_url("dashboard API, warm", api, user=leader, target_ms=100)
    report.time_url("home page with the 驾驶舱 box, warm", "/", user=leader, target_ms=100)
    client = report.client
    report.client = _AfterEachWrite(client)
    try:
        report.time_url("dashboard page, after an invalidation", page, user=leader, target_ms=100)
        report.time_url("dashboard API, after an invalidation", api, user=leader, target_ms=100)
    finally:
        report.client = client
    report.note(
        "after an invalidation every figure and breakdown of the month and of the same month a"
        " year before is recomputed; warm, only the latest month, the targets and the trends"
    )

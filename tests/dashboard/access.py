from tests.access import EVERYONE, Access, roles

DASHBOARD_VIEWERS = roles("领导", "经济发展")

ACCESS = {
    "dashboard:dashboard": Access(ok=DASHBOARD_VIEWERS),
    "api:dashboard": Access(ok=DASHBOARD_VIEWERS),
    # The funds-arrived list moved to 招商 (tests/investment/access.py): the old address is a
    # permanent redirect for everyone; the new page decides who may read it.
    "dashboard:funds_arrivals": Access(ok=EVERYONE, ok_status=301, anonymous_status=301),
}


BRIEFING_READERS = roles("领导", "经济发展")
BRIEFING_DRAFTERS = roles("经济发展")


def _briefing(users):
    from apps.dashboard import services

    return {"pk": services.briefing_create(by=users["经济发展"], year=2023, month=11).pk}


def _post_only(ok, kwargs):
    return Access(ok=ok, kwargs=kwargs, ok_status=405)


ACCESS.update(
    {
        "dashboard:briefing_list": Access(ok=BRIEFING_READERS),
        "dashboard:briefing_create": Access(ok=BRIEFING_DRAFTERS),
        "dashboard:briefing_detail": Access(ok=BRIEFING_READERS, kwargs=_briefing),
        "dashboard:briefing_edit": Access(ok=BRIEFING_DRAFTERS, kwargs=_briefing),
        "dashboard:briefing_print": Access(ok=BRIEFING_READERS, kwargs=_briefing),
        "dashboard:briefing_download": Access(ok=BRIEFING_READERS, kwargs=_briefing),
        "dashboard:briefing_transition": Access(
            ok=EVERYONE,
            kwargs=lambda users: {**_briefing(users), "action": "review"},
            ok_status=405,
        ),
        "api:dashboard-briefing-list": Access(ok=BRIEFING_READERS),
        "api:dashboard-briefing-detail": Access(ok=BRIEFING_READERS, kwargs=_briefing),
        **{
            f"api:dashboard-briefing-{action}": _post_only(BRIEFING_READERS, _briefing)
            for action in ("review", "return", "issue")
        },
    }
)


TARGET_READERS = roles("领导", "经济发展")
TARGET_WRITERS = roles("经济发展")


def _target(users):
    from apps.dashboard import services

    target = services.target_save(
        by=users["经济发展"], indicator="industry_output_ytd", year=2023, value=1000
    )
    return {"pk": target.pk}


ACCESS.update(
    {
        "dashboard:target_list": Access(ok=TARGET_READERS),
        "dashboard:target_edit": Access(
            ok=TARGET_WRITERS,
            kwargs=lambda users: {"year": 2023, "indicator": "industry_output_ytd"},
        ),
        "api:dashboard-target-list": Access(ok=TARGET_READERS),
        "api:dashboard-target-detail": Access(ok=TARGET_READERS, kwargs=_target),
    }
)

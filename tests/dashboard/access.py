from tests.access import Access, roles

DASHBOARD_VIEWERS = roles("领导", "经济发展")

ACCESS = {
    "dashboard:dashboard": Access(ok=DASHBOARD_VIEWERS),
    "api:dashboard": Access(ok=DASHBOARD_VIEWERS),
}

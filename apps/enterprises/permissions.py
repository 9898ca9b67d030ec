"""Who may do what with the enterprise registry.

The registry is the reference every part of the portal looks things up in, so every role may
read it (enterprises, parks, chains, qualifications, 四上 memberships). The monthly figures are
read by the leadership and the two bureaus that work with them. 经济发展局 and 企业服务局 keep
the registry current and import the monthly reports; the reference data (parks, chains,
qualification types) is kept by the system administrator (fixtures and the admin site).
Enterprises are never deleted (one that leaves is marked 迁出); a mistaken qualification or
四上 record may be deleted by the two bureaus.
"""

from apps.accounts.roles import Role, view_all

REGISTRY_VIEW = [
    "enterprises.view_enterprise",
    "enterprises.view_park",
    "enterprises.view_industrychain",
    "enterprises.view_chainnode",
    "enterprises.view_qualificationtype",
    "enterprises.view_qualification",
    "enterprises.view_statisticsmembership",
]
STATISTICS_VIEW = ["enterprises.view_monthlystatistic"]

_RECORDS = ["enterprise", "qualification", "statisticsmembership", "monthlystatistic"]


def _grant(models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"enterprises.{action}_{model}" for model in models for action in actions]


def ROLE_PERMISSIONS():
    writer = [
        *REGISTRY_VIEW,
        *STATISTICS_VIEW,
        *_grant(_RECORDS, ("add", "change")),
        *_grant(["qualification", "statisticsmembership"], ("delete",)),
    ]
    grants = dict.fromkeys(Role, REGISTRY_VIEW)
    grants[Role.SERVICE] = writer
    grants[Role.ECONOMY] = writer
    grants[Role.LEADER] = view_all("enterprises")
    return grants


def can_edit_enterprises(user) -> bool:
    return user.has_perm("enterprises.change_enterprise")


def can_view_statistics(user) -> bool:
    return user.has_perm("enterprises.view_monthlystatistic")


def can_import_statistics(user) -> bool:
    return user.has_perm("enterprises.add_monthlystatistic") and user.has_perm(
        "enterprises.change_monthlystatistic"
    )

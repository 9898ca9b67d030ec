from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "apps.services"
    verbose_name = _("企业服务")

    def ready(self):
        from apps.core import figures
        from apps.enterprises import hooks
        from apps.projects import hooks as project_hooks
        from apps.services import enterprise_page, models, project_page, services

        # Every write of the area's rows invalidates its figures and kept counts, whatever path
        # it takes (a visit corrected, a meeting saved, a row edited in the admin site).
        figures.invalidate_on_write(
            "services",
            models.Visit,
            models.DemandCategory,
            models.Demand,
            models.DemandEvent,
            models.FinancialInstitution,
            models.MatchmakingMeeting,
            models.FinancingNeed,
            models.LoanIntent,
            models.LoanIntentEvent,
            models.PolicyProgramme,
            models.PolicyApplication,
            models.PolicyApplicationEvent,
            # A demand about a project is one of its problems (the ledger's colours).
            also={models.Demand: services.demand_also_changes},
        )

        hooks.register_timeline(enterprise_page.timeline)
        hooks.register_section(enterprise_page.section)
        project_hooks.register_problems(project_page.problem_counts)
        project_hooks.register_overdue_problems(project_page.overdue_problems)
        project_hooks.register_section(project_page.section)
        project_hooks.register_problem_link(project_page.problem_link)

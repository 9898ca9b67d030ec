"""Choice sets named in the API schema (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]):
several models here have a `status` or `source` field with their own choices."""

from apps.services.models import Demand, LoanIntent, PolicyApplication

DEMAND_STATUS = Demand.Status.choices
DEMAND_SOURCE = Demand.Source.choices
LOAN_INTENT_STATUS = LoanIntent.Status.choices
POLICY_APPLICATION_STATUS = PolicyApplication.Status.choices

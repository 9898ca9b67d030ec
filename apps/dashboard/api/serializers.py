from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.core.api import NullableName, StrictModelSerializer
from apps.core.figures import all_figures
from apps.dashboard.models import Briefing, Target


class BriefingSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_code", read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Briefing
        fields = [
            "id",
            "year",
            "month",
            "period",
            "issue_no",
            "title",
            "status",
            "next_steps",
            "problems_note",
            "narratives",
            "ranks",
            "issued_at",
            "created_by",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, briefing) -> list[str]:
        from apps.dashboard.services import BRIEFING_WORKFLOW

        request = self.context.get("request")
        if request is None:
            return []
        return BRIEFING_WORKFLOW.allowed_actions(request.user, briefing)


class BriefingDetailSerializer(BriefingSerializer):
    """One briefing with its content: the numbers and generated text as the page shows them
    (an issued briefing's as issued, a draft's from the data now), and, once issued, the
    figures whose current value now differs ({code: the current value as written})."""

    content = serializers.SerializerMethodField()
    changed = serializers.SerializerMethodField()

    class Meta(BriefingSerializer.Meta):
        fields = [*BriefingSerializer.Meta.fields, "content", "changed"]
        read_only_fields = fields

    def _content(self, briefing) -> dict:
        cache = self.context.setdefault("briefing_content", {})
        if briefing.pk not in cache:
            from apps.dashboard import briefing as briefing_module

            request = self.context.get("request")
            user = getattr(request, "user", None)
            cache[briefing.pk] = briefing_module.content_for(briefing, user)
        return cache[briefing.pk]

    def get_content(self, briefing) -> dict:
        return self._content(briefing)

    def get_changed(self, briefing) -> dict[str, str]:
        from apps.dashboard import briefing as briefing_module

        if briefing.snapshot is None:
            return {}
        return briefing_module.differences(self._content(briefing))


class TargetSerializer(StrictModelSerializer):
    indicator = serializers.ChoiceField(choices=[], help_text="指标代码（可设目标的数字）")
    indicator_label = serializers.SerializerMethodField()
    department_name = NullableName("department.name")

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "indicator_label",
            "year",
            "month",
            "department",
            "department_name",
            "value",
        ]
        extra_kwargs = {
            "year": {"min_value": 2000, "max_value": 2100},
            "month": {"min_value": 1, "max_value": 12},
        }
        # The service checks duplicates and the year's rules (one message for page and API).
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.dashboard.services import targetable_indicators

        self.fields["indicator"].choices = targetable_indicators()

    def get_indicator_label(self, target) -> str:
        figure = all_figures().get(target.indicator)
        return str(figure.label) if figure else target.indicator

    def validate(self, attrs):
        # A team's targets were once rows here: a client still sending a team would otherwise
        # set the zone's target with the team's number.
        if isinstance(self.initial_data, dict) and "team" in self.initial_data:
            raise serializers.ValidationError(
                {"team": _("招商小组的目标在年度招商目标（/api/investment/targets/）中设定")}
            )
        return attrs

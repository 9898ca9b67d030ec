from rest_framework import serializers

from apps.investment.models import FundsArrival


class FundsArrivalSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    team = serializers.IntegerField(source="project.team_id", read_only=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = FundsArrival
        fields = [
            "id",
            "project",
            "project_name",
            "team",
            "month",
            "origin",
            "fixed_assets",
            "working_capital",
            "total",
        ]
        read_only_fields = fields

"""The backtest replays injected layoff waves through the real scan: every wave is
found in its first months, most warnings (yellow and above) belong to a wave, and
nothing the backtest made stays in the database."""

import pytest

from apps.employers.models import Employer
from apps.monitoring.backtest import run
from apps.monitoring.models import MonthlyReport, Warning

pytestmark = pytest.mark.django_db


def test_injected_waves_are_found_and_nothing_stays():
    before = (Employer.objects.count(), MonthlyReport.objects.count(), Warning.objects.count())
    result = run(seed=1, industries=5, per_industry=8, months=44, waves=3)
    assert result.waves == 3
    assert result.recall == 1.0
    assert result.precision >= 0.5
    assert result.median_lead is not None and result.median_lead >= 0  # warned before it lands
    assert result.all_levels.episodes >= result.episodes
    after = (Employer.objects.count(), MonthlyReport.objects.count(), Warning.objects.count())
    assert after == before

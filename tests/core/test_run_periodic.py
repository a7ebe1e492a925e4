from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.parametrize("period", ["hourly", "daily", "weekly"])
def test_every_scheduled_job_of_a_period_runs(db, period):
    output = StringIO()

    call_command("run_periodic", period, stdout=output)

    from habitat.core.management.commands.run_periodic import JOBS

    for command, *_ in JOBS[period]:
        assert command in output.getvalue()

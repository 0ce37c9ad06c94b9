"""The benchmarks' own code runs (small sizes), so `make bench` cannot rot between runs."""

import os

import pytest
from django.core.management import call_command

from bench.import_case import bench_import
from fangxian.people.models import Person
from fangxian.screening.models import Trip

pytestmark = pytest.mark.django_db


def test_the_import_benchmark_imports_its_roster_and_reports_both_ratios():
    call_command("demo", people=400, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    people, trips = Person.objects.count(), Trip.objects.count()
    against_read, against_writes = bench_import(300)
    assert Person.objects.count() == people + 300
    assert Trip.objects.count() == trips + 300  # the floor's writes were rolled back
    for result in (against_read, against_writes):
        assert result.value > 0 and result.baseline > 0
        assert result.ratio == pytest.approx(result.baseline / result.value, rel=0.05)
    assert against_read.value == against_writes.value

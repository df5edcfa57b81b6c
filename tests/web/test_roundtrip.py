"""hyoka/1 → database → hyoka/1 loses nothing, for every sample plan."""

from __future__ import annotations

import pytest

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.samples import load_sample, sample_names
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, store_plan


@pytest.mark.django_db
@pytest.mark.parametrize("name", sample_names())
def test_sample_survives_the_database(name: str) -> None:
    expected = plan_to_dict(load_sample(name))
    first = plan_to_dict(core_plan(m.Plan.objects.get(organization__code=load_sample(name).organization.code, key=name)))
    assert first == expected
    store_plan(core_plan(m.Plan.objects.get(organization__code=load_sample(name).organization.code, key=name)), replace=True)
    second = plan_to_dict(core_plan(m.Plan.objects.get(organization__code=load_sample(name).organization.code, key=name)))
    assert second == first


@pytest.mark.django_db
def test_storing_twice_without_replace_is_refused() -> None:
    from hyoka.core.errors import InputError

    with pytest.raises(InputError) as e:
        store_plan(load_sample("hiratsuka-juten"))
    assert "plan.id=hiratsuka-juten" in str(e.value)
    assert m.Plan.objects.filter(key="hiratsuka-juten").count() == 1


@pytest.mark.django_db
def test_an_evaluation_refers_to_the_plan_pages_are_given() -> None:
    """Pages compare series by identity; the cached evaluation must be of the cached plan."""
    from hyoka.web.plans.convert import evaluation

    plan = m.Plan.objects.get(key="kanagawa-dx")
    for other in m.Plan.objects.exclude(pk=plan.pk):
        evaluation(other, 2024)
    assert evaluation(plan, 2024).plan is core_plan(plan)
    assert evaluation(plan, 2025).plan is core_plan(plan)


@pytest.mark.django_db
def test_every_model_change_has_its_migration() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

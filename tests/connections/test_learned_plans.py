"""Learned login plans belong to a project and a domain."""

from __future__ import annotations

import pytest

from authhub import services as tenancy
from connections import services
from connections.engine import LoginPlan
from connections.engine.types import PlanAction, PlanPage


@pytest.fixture
def projects(db):
    first = tenancy.organization_create(name="plans-a").default_project()
    second = tenancy.organization_create(name="plans-b").default_project()
    return first, second


def test_a_plan_is_kept_per_project_and_domain_and_never_seen_by_another_tenant(projects):
    mine, theirs = projects
    plan = LoginPlan("http://example.com/login", [PlanPage("example.com/login", [PlanAction("fill", "#user", key="username")])],
                     "http://example.com/home", successes=1)
    services.learned_plan_save(project=mine, domain="example.com", plan=plan.to_dict())
    assert LoginPlan.from_dict(services.learned_plan_get(project=mine, domain="example.com")) == plan
    assert services.learned_plan_get(project=theirs, domain="example.com") is None
    assert services.learned_plan_get(project=mine, domain="other.com") is None


def test_saving_again_replaces_the_plan(projects):
    mine, _ = projects
    services.learned_plan_save(project=mine, domain="example.com", plan=LoginPlan(successes=1).to_dict())
    row = services.learned_plan_save(project=mine, domain="example.com", plan=LoginPlan(successes=2).to_dict())
    assert row.successes == 2
    assert LoginPlan.from_dict(services.learned_plan_get(project=mine, domain="example.com")).successes == 2

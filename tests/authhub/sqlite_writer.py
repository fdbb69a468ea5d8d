"""A writer process for the SQLite concurrency test: python -m tests.authhub.sqlite_writer PROJECT_ID N TAG."""

from __future__ import annotations

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "authhub.settings"

import django  # noqa: E402

django.setup()

from django.db import OperationalError  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from authhub.models import ApiKey, Project  # noqa: E402
from credentials import services  # noqa: E402
from credentials.models import Credential  # noqa: E402


def main(project_id: str, count: int, tag: str) -> int:
    project = Project.objects.get(pk=project_id)
    errors = 0
    for i in range(count):
        try:
            credential = services.credential_create(
                project=project, actor=f"system:{tag}", name=f"{tag}-{i}", domain="example.com",
                values={"password": f"concurrent-{tag}-{i}"},
            )
            services.credential_update(credential=credential, actor=f"system:{tag}", values={"extra": str(i)})
            Credential.objects.filter(project=project).count()
            async_task("math.floor", i + 0.5, group=f"sqlite-test-{tag}")  # a django-q2 ORM-broker write
            ApiKey.objects.filter(project=project).first()
        except OperationalError as exc:
            errors += 1
            print(f"{tag}: {exc}", flush=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))

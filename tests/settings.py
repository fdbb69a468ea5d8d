"""Test settings: the real settings, with a private data directory per test process (xdist worker)."""

import atexit
import os
import shutil
import tempfile

if os.environ.get("AUTHHUB_TEST_DATA_DIR"):
    os.environ["AUTHHUB_DATA_DIR"] = os.environ["AUTHHUB_TEST_DATA_DIR"]
else:
    # Each process's own directory goes when it exits, so repeated runs do not fill /tmp.
    os.environ["AUTHHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="authhub-test-")
    atexit.register(shutil.rmtree, os.environ["AUTHHUB_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("AUTHHUB_ENV", "development")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls are plain sync
# code. (Servers and runners started by tests do not inherit this: tests.support.servers drops it.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from authhub.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users for admin tests

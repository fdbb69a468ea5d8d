"""A sandbox of real login web sites for end-to-end tests of the login engine.

``SandboxServer`` (tests/sites/server.py) serves every site on one port of 127.0.0.1; the sites are told
apart by their ``*.localhost`` host names. Run it by hand with ``python -m tests.sites`` (``make sandbox``).
"""

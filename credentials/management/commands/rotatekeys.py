from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from credentials import rotation
from credentials.crypto import create_master_key_file, get_keyring, keyset_summary
from credentials.models import OrganizationKeyset


class Command(BaseCommand):
    help = (
        "Rotate encryption keys with the service running. Without options: give every organization a new "
        "primary key and re-encrypt its secrets. Old keys are disabled, not destroyed."
    )

    def add_arguments(self, parser: Any) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--master", action="store_true", help="rotate the master key and re-wrap every keyset")
        group.add_argument("--status", action="store_true", help="list keys and their status (no key material)")
        group.add_argument(
            "--destroy-disabled", action="store_true",
            help="destroy disabled keys for good (backups from before their rotation become unreadable)",
        )
        group.add_argument(
            "--enable-master-keys", action="store_true",
            help="re-enable disabled master keys, to open a backup taken before a master-key rotation",
        )
        group.add_argument("--create-master-key", metavar="PATH", help="write a new master key file (mode 0600)")
        parser.add_argument("--org", help="only this organization (id)")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--yes", action="store_true", help="do not ask before destroying keys")

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stdout.write
        if options["create_master_key"]:
            path = Path(options["create_master_key"]).expanduser()
            if not create_master_key_file(path):
                raise CommandError(f"{path} exists; refusing to overwrite a master key")
            say(f"Created {path}. Set AUTHHUB_MASTER_KEY_FILE={path} and back the file up.")
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if options["status"]:
            self._status()
        elif options["master"]:
            new_id, disabled, count = rotation.rotate_master_key(progress=say)
            say(self.style.SUCCESS(f"Master key rotated: primary {new_id}, {count} keyset(s) re-wrapped."))
        elif options["destroy_disabled"]:
            if not options["yes"] and input("Destroy every disabled key for good? Type 'destroy': ") != "destroy":
                raise CommandError("nothing destroyed")
            destroyed = rotation.destroy_disabled_keys()
            say(self.style.SUCCESS(f"Destroyed: {destroyed or 'nothing to destroy'}"))
        elif options["enable_master_keys"]:
            say(self.style.SUCCESS(f"Re-enabled master key(s): {rotation.enable_disabled_master_keys() or 'none'}"))
        elif options["org"]:
            rotation.rotate_organization_key(options["org"], batch_size=options["batch_size"], progress=say)
        else:
            reports = rotation.rotate_all_organization_keys(batch_size=options["batch_size"], progress=say)
            total = sum(report.reencrypted for report in reports)
            say(self.style.SUCCESS(f"Rotated {len(reports)} organization key(s); re-encrypted {total} value(s)."))

    def _status(self) -> None:
        keyring = get_keyring()
        keyring.master.refresh()
        self.stdout.write(f"master key file {keyring.master.path}:")
        for key_id, status, primary in keyset_summary(keyring.master.handle):
            self.stdout.write(f"  {key_id} {status}{' primary' if primary else ''}")
        for row in OrganizationKeyset.objects.select_related("organization").order_by("pk"):
            keys = ", ".join(f"{k} {s}{' primary' if p else ''}" for k, s, p in row.key_summary())
            self.stdout.write(f"{row.organization.name} ({row.organization_id}) v{row.version}: {keys}")

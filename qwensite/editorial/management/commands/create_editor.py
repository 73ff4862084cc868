"""Create (or promote) an editor account: staff, in the Editors group, never a superuser."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qwensite.editorial.groups import EDITORS

PASSWORD_ENV = "EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an editor account: a staff user in the Editors group, who can edit articles and releases "
        f"but not manage accounts. The password is asked for, or read from ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help=f"Read the password from ${PASSWORD_ENV}."
        )

    def handle(self, username, email, interactive, **options):
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError("The Editors group does not exist: run `manage.py migrate` first.") from None
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username, email=email)
        if user.is_superuser:
            raise CommandError(f"{username} is a superuser; editors are ordinary staff accounts.")
        if email:
            user.email = email
        password = self.read_password(interactive)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        with transaction.atomic():
            user.is_staff = True
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Editor {username} is ready: sign in at /admin/."))

    def read_password(self, interactive):
        password = os.environ.get(PASSWORD_ENV)
        if password:
            return password
        if not interactive:
            raise CommandError(f"Set ${PASSWORD_ENV} or run without --no-input to type the password.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password

"""makemessages that also reads ``_l(...)``: the views alias gettext_lazy as ``_l`` for column
labels, which xgettext does not know as a keyword."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]

"""The idle timeout without a database write per request.

Django keeps an idle timeout by saving the session on every request
(SESSION_SAVE_EVERY_REQUEST): a transaction, an UPDATE and a commit waiting on the disk, on
every page and API call of a signed-in user. Here the session is written when something in it
changed, or when it was last written SESSION_TOUCH_SECONDS ago or more: a session ends between
SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS and SESSION_COOKIE_AGE after the last request
(29 to 30 minutes by default), never later.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.middleware import SessionMiddleware

# When the session was last written (seconds since the epoch), kept in the session itself.
TOUCHED = "_portal_touched"


def _now() -> float:
    return time.time()


def touch(session) -> None:
    session[TOUCHED] = int(_now())


def is_stale(session) -> bool:
    return _now() - session.get(TOUCHED, 0) >= settings.SESSION_TOUCH_SECONDS


class IdleSessionMiddleware(SessionMiddleware):
    """SessionMiddleware that refreshes a read session's expiry at most once a
    SESSION_TOUCH_SECONDS (and whenever it is written anyway)."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.is_empty()
            and (session.modified or is_stale(session))
        ):
            touch(session)
        return super().process_response(request, response)


def _touched_at_login(sender, request, user, **kwargs):
    # The login writes the session: it counts as its last write (also for the test client's
    # force_login, which saves the session without the middleware).
    session = getattr(request, "session", None)
    if session is not None:
        touch(session)


def connect_signals() -> None:
    user_logged_in.connect(_touched_at_login, dispatch_uid="core.sessions.touched_at_login")

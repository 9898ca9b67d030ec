"""The client's address behind the reverse proxies the deployment documents.

nginx appends the address it saw to X-Forwarded-For (`$proxy_add_x_forwarded_for`), after
whatever the client sent. Behind N trusted proxies the client is therefore the Nth address from
the right; everything left of it was written by the client and may be forged. Taking the
left-most address (ipware's default) lets an attacker rotate a made-up address past the login
lockout.
"""

from ipaddress import ip_address

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        # Not through the proxies (a direct request inside the network): the socket's address.
        return remote
    return _valid(forwarded[-count]) or remote

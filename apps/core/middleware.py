from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """Pages for a signed-in user hold personal or internal data (ID numbers, salaries,
    enterprise figures): no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

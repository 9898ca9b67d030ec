import os


def clean_environ() -> dict[str, str]:
    """The environment for a child Django process: without the browser tests' async override,
    which a deployment check rightly refuses."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}

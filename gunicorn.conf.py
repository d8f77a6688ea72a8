"""gunicorn settings read from the working directory (`gunicorn scrm.wsgi:application …`).

Command-line flags still win over what is set here.
"""

import gc


def post_worker_init(worker):
    """Move everything the loaded application allocated (Django, the apps, their modules) out
    of the garbage collector's sight. Those objects live as long as the worker; without this
    every full collection walks all of them again, which cost a 1,000-mention bulk request
    about a fifth of its time (`bench/ingest.py`)."""
    gc.freeze()

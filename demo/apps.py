from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models and no pages: the app is installed for its management commands (seed_demo,
    load_demo_records, generate_records), which `make run`, bench/ and the tests use, and to tell
    the records search page how far the demo's records have loaded."""

    name = "demo"

    def ready(self):
        # Here and not at the top: these import models, which exist only once the apps are ready.
        from search.ingest import loading

        from .records import background_progress

        loading.register(background_progress)

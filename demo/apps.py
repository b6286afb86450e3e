from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models and no pages: the app is installed for its management commands (seed_demo,
    load_demo_records, generate_records), which `make run`, bench/ and the tests use."""

    name = "demo"

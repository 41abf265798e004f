"""The categories a new helpdesk starts with; admins change them afterwards."""

DEFAULT_CATEGORIES = [
    ("hardware", "Hardware"),
    ("software", "Software"),
    ("network", "Network and connectivity"),
    ("accounts", "Accounts and access"),
    ("email", "Email"),
    ("printing", "Printing"),
    ("other", "Other"),
]


def ensure_default_categories(category_model) -> None:
    """Create any default category that is missing (by slug); never touches existing ones."""
    for position, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        category_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )

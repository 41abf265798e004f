"""The categories a new helpdesk starts with; admins change them afterwards.

Their names are stored in English and marked for translation: the pages show a category's name
in the reader's language when the catalogue knows it, and a name an admin typed as typed.
"""

from django.utils.translation import gettext_noop

DEFAULT_CATEGORIES = [
    ("hardware", gettext_noop("Hardware")),
    ("software", gettext_noop("Software")),
    ("network", gettext_noop("Network and connectivity")),
    ("accounts", gettext_noop("Accounts and access")),
    ("email", gettext_noop("Email")),
    ("printing", gettext_noop("Printing")),
    ("other", gettext_noop("Other")),
]


def ensure_default_categories(category_model) -> None:
    """Create any default category that is missing (by slug); never touches existing ones."""
    for position, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        category_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )

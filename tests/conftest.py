import pytest


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test empties every table afterwards, the migrations' categories too;
    put them back so that the next test starts from a freshly migrated database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from issues_adapters.persistence.models import Category
    from issues_adapters.persistence.reference_data import ensure_default_categories

    ensure_default_categories(Category)

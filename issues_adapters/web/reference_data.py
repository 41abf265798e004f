"""Categories, active staff and canned replies, kept in each process until they change.

The issue page needs all three on every request (three statements); they change rarely. Each
change sets a new stamp in ReferenceDataStamp in its own transaction (the signals below, and
stamp_changed() where a change bypasses them), so a page reads the stamp (one statement) and
reads the three again only when it differs from the stamp its process kept them under. Every
gunicorn worker thus sees a change on its next page. A change made without the ORM's save or
delete (raw SQL, QuerySet.update on these tables elsewhere) must call stamp_changed().
"""

import dataclasses
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import get_language

from issues_adapters.canned_replies import store
from issues_adapters.canned_replies.models import CannedReplyRecord
from issues_adapters.persistence.kept_statements import Statement
from issues_adapters.persistence.models import Category
from issues_adapters.web import selectors
from issues_adapters.web.labels import category_label
from issues_adapters.web.models import ReferenceDataStamp


@dataclass(frozen=True)
class ReferenceData:
    categories: list[tuple[str, str]]  # the active ones: (slug, name)
    category_names: dict[str, str]  # every category by slug, inactive ones too
    staff: list[str]  # active staff usernames
    canned_replies: list[store.StoredReply]


_kept: tuple[uuid.UUID, ReferenceData] | None = None
# The kept data with the category names in each language spoken since (the seeded names are
# marked for translation, persistence/reference_data.py; a name an admin typed stays as typed).
_spoken: dict[tuple[uuid.UUID, str], ReferenceData] = {}


# Read on every staff page: compiled once (persistence/kept_statements.py).
_STAMP = Statement(
    lambda: ReferenceDataStamp.objects.filter(id=1).values_list("stamp", flat=True), flat=True
)


def stamp() -> uuid.UUID | None:
    found = _STAMP.rows()
    return found[0] if found else None


def current() -> ReferenceData:
    """The reference data, with the category names in the active language."""
    now, data = _stored()
    key = (now, get_language())
    spoken = _spoken.get(key)
    if spoken is None:
        spoken = dataclasses.replace(
            data,
            categories=[(slug, category_label(name)) for slug, name in data.categories],
            category_names={
                slug: category_label(name) for slug, name in data.category_names.items()
            },
        )
        if now is not None:
            if any(kept_at != now for kept_at, _language in _spoken):
                _spoken.clear()  # kept under an older stamp
            _spoken[key] = spoken
    return spoken


def _stored() -> tuple[uuid.UUID | None, ReferenceData]:
    global _kept
    # The stamp first: data read after it is at least as new as the stamp it is kept under.
    now = stamp()
    kept = _kept
    if now is not None and kept is not None and kept[0] == now:
        return kept
    categories, names = selectors.categories_and_names()
    data = ReferenceData(categories, names, selectors.active_staff(), store.all_replies())
    if now is not None:
        _kept = (now, data)
    return now, data


def stamp_changed() -> None:
    if not ReferenceDataStamp.objects.filter(id=1).update(stamp=uuid.uuid4()):
        ReferenceDataStamp.objects.update_or_create(id=1, defaults={"stamp": uuid.uuid4()})


def _changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # signing in saves the user: nothing the pages keep
    stamp_changed()


def _migrated(sender, **kwargs) -> None:
    if sender.label == "web":  # a data migration may have changed categories
        stamp_changed()


def connect() -> None:
    for model in (Category, CannedReplyRecord, get_user_model()):
        post_save.connect(_changed, sender=model, dispatch_uid=f"reference-data-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reference-data-d-{model}")
    post_migrate.connect(_migrated, dispatch_uid="reference-data-migrated")

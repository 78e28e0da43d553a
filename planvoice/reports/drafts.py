"""Photos of a report form that came back to the resident (the place checked, a field
refused), kept so nobody chooses them again: stored like a report's photos under the form's
random ``draft`` key, for the browser that sent them only, until the report is sent (then
``services.submit_report`` moves them to it) or a day has passed (``sweep_draft_photos``)."""

from datetime import timedelta

from sqlalchemy import select

from planvoice.core import storage
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports import photos as photo_files
from planvoice.reports.models import DraftPhoto
from planvoice.reports.services import remove_after_commit, remove_on_rollback

# How long photos of a form that came back wait for it to be sent.
DRAFT_PHOTO_HOURS = 24


def keep_draft_photos(
    photos: list[photo_files.ProcessedPhoto], *, draft_key: str, author_key: str
) -> list[DraftPhoto]:
    """Store photos of a report form that goes back to the resident (see ``DraftPhoto``) and
    flush; return them."""
    store = storage.backend()
    kept = []
    for photo in photos:
        path, thumbnail_path = photo_files.store_photo(photo, store)
        remove_on_rollback(path, thumbnail_path)
        kept.append(
            DraftPhoto(
                draft_key=draft_key,
                author_key=author_key,
                path=path,
                thumbnail_path=thumbnail_path,
                width=photo.width,
                height=photo.height,
            )
        )
    db.session.add_all(kept)
    db.session.flush()
    return kept


def discard_draft_photos(drafts: list[DraftPhoto]) -> None:
    """Forget photos kept for a form (the resident removed them); their files go after the
    commit. Flushes."""
    for draft in drafts:
        remove_after_commit(draft.path, draft.thumbnail_path)
        db.session.delete(draft)
    db.session.flush()


def sweep_draft_photos(*, now=None) -> int:
    """Remove the photos kept for forms that were never sent, once ``DRAFT_PHOTO_HOURS`` have
    passed (the outbox worker's loop and ``flask reports sweep-drafts`` call it); flushes and
    returns how many."""
    cutoff = (now or utcnow()) - timedelta(hours=DRAFT_PHOTO_HOURS)
    stale = list(db.session.scalars(select(DraftPhoto).where(DraftPhoto.created_at < cutoff)))
    discard_draft_photos(stale)
    return len(stale)


def draft_photos(draft_key: str | None, author_key: str | None) -> list[DraftPhoto]:
    """The photos kept for this browser's form ``draft_key`` (none for anyone else's)."""
    if not draft_key or not author_key:
        return []
    query = (
        select(DraftPhoto)
        .where(DraftPhoto.draft_key == draft_key, DraftPhoto.author_key == author_key)
        .order_by(DraftPhoto.id)
    )
    return list(db.session.scalars(query))


def get_draft_photo(photo_id: int, author_key: str | None) -> DraftPhoto | None:
    photo = db.session.get(DraftPhoto, photo_id)
    return photo if photo is not None and author_key and photo.author_key == author_key else None

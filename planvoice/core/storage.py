"""Where stored files (report photos) live: a local folder or an S3-compatible object store.

``PHOTO_STORAGE=local`` (the default) keeps each file at ``UPLOAD_FOLDER/<key>``;
``PHOTO_STORAGE=s3`` keeps it as object ``<key>`` in ``S3_BUCKET`` (credentials come from the
usual AWS chain: ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, a profile or a role). Keys
are the relative POSIX paths the database holds, so both stores agree on every name. Files
are served through the app either way (``send``): the store is never exposed to readers.
"""

import os
import threading
from pathlib import Path

from flask import Flask, Response, current_app, send_file

LOCAL, S3 = "local", "s3"
_EXTENSION = "planvoice.storage"
_CHUNK = 64 * 1024
# One boto3 session per process: building a client from a fresh one reads the service model
# again (a fifth of a second). Sessions are not thread-safe, so clients are made under a lock.
_BOTO_SESSION = None
_BOTO_LOCK = threading.Lock()


class LocalStorage:
    """Files under one folder; a key is a path relative to it."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        target = self.folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.tmp")
        # Written aside, then renamed: a reader never sees half a file. (Not mkstemp: its
        # 0600 files could not be served by a web server running as another user.)
        try:
            with open(temporary, "xb") as file:
                file.write(data)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        return (self.folder / key).read_bytes()

    def exists(self, key: str) -> bool:
        return (self.folder / key).is_file()

    def delete(self, *keys: str) -> None:
        for key in keys:
            (self.folder / key).unlink(missing_ok=True)

    def send(self, key: str, *, mimetype: str, max_age: int | None = None) -> Response:
        return send_file(self.folder / key, mimetype=mimetype, max_age=max_age)

    def check(self) -> None:
        """Nothing to reach: the folder is created on the first save."""


class S3Storage:
    """Objects in one bucket of an S3-compatible store; a key is the object's key."""

    def __init__(self, bucket: str, *, endpoint_url=None, region=None, timeout: float = 5):
        # Imported here: a deployment keeping photos on disk never loads boto3.
        from botocore.config import Config

        self.bucket = bucket

        def client(seconds: float, attempts: int):
            config = Config(
                connect_timeout=seconds,
                read_timeout=seconds,
                retries={"max_attempts": attempts, "mode": "standard"},
                # Checksums only where S3 demands them: other S3-compatible stores refuse
                # the newer ones boto3 sends by default.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
            return _client(
                "s3", endpoint_url=endpoint_url or None, region_name=region or None, config=config
            )

        self.client = client(timeout, 3)
        # /healthz must answer quickly even when the store does not: one short try.
        self.probe = client(1, 1)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def read(self, key: str) -> bytes:
        with self._get(key)["Body"] as body:
            return body.read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _status(error) == 404:
                return False
            raise
        return True

    def delete(self, *keys: str) -> None:
        # Deleting a missing object succeeds in S3, as unlink(missing_ok=True) does on disk.
        for start in range(0, len(keys), 1000):  # at most 1000 keys per request
            objects = [{"Key": key} for key in keys[start : start + 1000]]
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
            )
            if errors := answer.get("Errors"):
                raise OSError(f"could not delete {len(errors)} stored files: {errors[0]}")

    def send(self, key: str, *, mimetype: str, max_age: int | None = None) -> Response:
        found = self._get(key)
        body = found["Body"]
        # Streamed through in chunks, never read whole; the object's ETag and date make
        # conditional requests (If-None-Match, If-Modified-Since) work as for a file.
        response = send_file(
            _Stream(body),
            mimetype=mimetype,
            download_name=key.rsplit("/", 1)[-1],  # as a file's name is given, for the same headers
            max_age=max_age,
            etag=found["ETag"].strip('"'),
            last_modified=found["LastModified"],
        )
        if response.status_code == 200:
            response.content_length = found["ContentLength"]
            # Byte ranges would need the length before send_file; photos are small: none.
            response.headers.pop("Accept-Ranges", None)
        else:
            body.close()
        return response

    def check(self) -> None:
        self.probe.head_bucket(Bucket=self.bucket)

    def _get(self, key: str) -> dict:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _status(error) == 404:
                raise FileNotFoundError(key) from None
            raise


class _Stream:
    """A botocore body as the file object ``send_file`` expects (read in chunks, close)."""

    def __init__(self, body):
        self.body = body

    def read(self, size: int = _CHUNK) -> bytes:
        return self.body.read(size)

    def close(self) -> None:
        self.body.close()


def _client(*args, **kwargs):
    global _BOTO_SESSION
    import boto3

    with _BOTO_LOCK:
        if _BOTO_SESSION is None:
            _BOTO_SESSION = boto3.session.Session()
        return _BOTO_SESSION.client(*args, **kwargs)


def _status(error) -> int | None:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


Storage = LocalStorage | S3Storage


def backend(app: Flask | None = None) -> Storage:
    """The store the app's settings name, made once per app (an S3 client is costly to build
    and safe to share between threads)."""
    app = app or current_app._get_current_object()
    store = app.extensions.get(_EXTENSION)
    if store is None:
        config = app.config
        if config["PHOTO_STORAGE"] == S3:
            store = S3Storage(
                config["S3_BUCKET"],
                endpoint_url=config["S3_ENDPOINT_URL"],
                region=config["S3_REGION"],
            )
        else:
            store = LocalStorage(config["UPLOAD_FOLDER"])
        app.extensions[_EXTENSION] = store
    return store


# The current app's store, for code that has one at hand.


def save(key: str, data: bytes, content_type: str) -> None:
    backend().save(key, data, content_type)


def read(key: str) -> bytes:
    return backend().read(key)


def exists(key: str) -> bool:
    return backend().exists(key)


def delete(*keys: str) -> None:
    backend().delete(*keys)


def send(key: str, *, mimetype: str, max_age: int | None = None) -> Response:
    """A response with the stored file's bytes; ``FileNotFoundError`` when there is none."""
    return backend().send(key, mimetype=mimetype, max_age=max_age)

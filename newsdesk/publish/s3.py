"""Publish to S3-compatible object storage (AWS, MinIO, Ceph, R2, …).

Only files whose bytes changed are uploaded (the local MD5 against the object's ETag). Order
keeps every page whole for readers: assets (images, styles, search chunks) first, then pages,
then feeds and sitemaps that announce them; objects that left the site are deleted last.
Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID…, a profile, an instance role).
"""

import base64
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..progress import progress
from ..secrets import redact
from .errors import PublishFailed
from .headers import cache_control, content_type, is_page
from .manifest import Changes, Manifest

GROUPS = ("assets", "pages", "feeds and sitemaps")


def upload_order(path: str) -> tuple[int, int, str]:
    """Assets, then HTML pages (deepest first: articles before the listings linking them),
    then feeds, sitemaps and the search entry file."""
    group = 0 if not is_page(path) else 1 if path.endswith(".html") else 2
    return group, -path.count("/"), path


def invalidation_paths(paths: Iterable[str]) -> list[str]:
    """CloudFront paths for changed pages: `a/index.html` is also served as `a/`."""
    result = set()
    for path in paths:
        result.add("/" + path)
        if path == "index.html" or path.endswith("/index.html"):
            result.add("/" + path[: -len("index.html")])
    return sorted(result)


class S3Target:
    name = "s3"

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.bucket = settings.get("S3_BUCKET")
        if not self.bucket:
            raise PublishFailed("S3_BUCKET is not set (publishconf.py or PUBLISH_S3_BUCKET)")
        self.prefix = (settings.get("S3_PREFIX") or "").strip("/")
        self.endpoint = settings.get("S3_ENDPOINT_URL") or None
        self.region = settings.get("S3_REGION") or None
        self.rules = settings.get("PUBLISH_CACHE_CONTROL")
        self.distribution = settings.get("S3_CLOUDFRONT_DISTRIBUTION") or None
        self.cloudfront_endpoint = settings.get("CLOUDFRONT_ENDPOINT_URL") or None
        self.workers = int(settings.get("S3_WORKERS", 8))
        self._client = None

    def describe(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}"
        return where + (f" at {redact(self.endpoint)}" if self.endpoint else "")

    def client(self, service: str = "s3") -> Any:
        import boto3
        from botocore.config import Config

        config = Config(retries={"max_attempts": 5, "mode": "standard"},
                        connect_timeout=10, read_timeout=60)
        endpoint = self.endpoint if service == "s3" else self.cloudfront_endpoint
        return boto3.client(service, endpoint_url=endpoint, region_name=self.region,
                            config=config)

    def key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def remote(self, s3: Any) -> dict[str, str]:
        """Site path to ETag (without quotes) of every object under the prefix."""
        start = f"{self.prefix}/" if self.prefix else ""
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                   Prefix=start):
            for item in page.get("Contents", []):
                objects[item["Key"][len(start):]] = item["ETag"].strip('"')
        return objects

    def publish(self, output: Path, manifest: Manifest, dry_run: bool = False) -> Changes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self._publish(output, manifest, dry_run)
        except (BotoCoreError, ClientError) as exc:
            raise PublishFailed(f"{self.describe()}: {exc}") from None

    def _publish(self, output: Path, manifest: Manifest, dry_run: bool) -> Changes:
        s3 = self.client()
        changes = manifest.compare(self.remote(s3), same=lambda entry, etag: entry.md5 == etag)
        if not changes:
            print(f"nothing to publish: {self.describe()} is up to date "
                  f"({changes.unchanged} files)")
            return changes
        print(f"{self.describe()}: {changes.summary()}")
        if dry_run:
            for line in changes.lines():
                print(line)
            return changes

        uploads = sorted(changes.added + changes.changed, key=upload_order)
        for group in (0, 1, 2):  # each group is complete before the next starts
            batch = [path for path in uploads if upload_order(path)[0] == group]
            with ThreadPoolExecutor(self.workers) as pool:
                done = pool.map(lambda path: self.upload(s3, output, manifest, path), batch)
                for _ in progress(done, f"uploading {GROUPS[group]}", total=len(batch),
                                  size=lambda path: manifest[path].size,
                                  total_size=sum(manifest[path].size for path in batch)):
                    pass
        self.delete(s3, changes.removed)
        if self.distribution:
            self.invalidate(changes.changed + changes.removed)
        return changes

    def upload(self, s3: Any, output: Path, manifest: Manifest, path: str) -> str:
        """Put one file; return its path."""
        entry = manifest[path]
        extra = {"CacheControl": value} if (value := cache_control(path, self.rules)) else {}
        s3.put_object(
            Bucket=self.bucket, Key=self.key(path), Body=(output / path).read_bytes(),
            ContentType=content_type(path),
            ContentMD5=base64.b64encode(bytes.fromhex(entry.md5)).decode(),
            Metadata={"sha256": entry.sha256}, **extra,
        )
        return path

    def delete(self, s3: Any, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):
            batch = [{"Key": self.key(path)} for path in paths[start:start + 1000]]
            answer = s3.delete_objects(Bucket=self.bucket, Delete={"Objects": batch,
                                                                  "Quiet": True})
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise PublishFailed(f"{self.describe()}: deleting {first['Key']} failed: "
                                    f"{first.get('Message', first.get('Code'))}")
        if paths:
            print(f"deleted {len(paths)} object(s) no longer in the site")

    def invalidate(self, paths: Iterable[str]) -> None:
        pages = [path for path in paths if path.endswith(".html") or is_page(path)]
        if not pages:
            return
        items = invalidation_paths(self.key(path) for path in pages)
        if len(items) > 1000:
            items = [f"/{self.prefix}/*" if self.prefix else "/*"]
        answer = self.client("cloudfront").create_invalidation(
            DistributionId=self.distribution,
            InvalidationBatch={"Paths": {"Quantity": len(items), "Items": items},
                               "CallerReference": f"newsdesk-{time.time_ns()}"},
        )
        print(f"CloudFront {self.distribution}: invalidation "
              f"{answer['Invalidation']['Id']} of {len(items)} path(s)")

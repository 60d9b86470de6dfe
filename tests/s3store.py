"""A real S3-compatible server for the tests: moto's, over HTTP on the loopback.

moto's standalone server is pure Python and installs with pip from the package
registry (offline-friendly, no Docker, no binary to download); MinIO is on no
package registry this project can reach. It is started as a server, never with
``mock_aws``: the app talks to it over HTTP, as it would to any object store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

# boto3 reads these; fixed ones, so no credentials of the machine are used and
# no metadata service is asked
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "purposeful-test",
    "AWS_SECRET_ACCESS_KEY": "purposeful-test-secret",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}
REGION = "us-east-1"


@dataclass
class S3Store:
    endpoint: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> str:
        name = f"uploads-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def objects(self, bucket: str) -> dict[str, bytes]:
        client = self.client()
        listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])[
                "Body"
            ].read()
            for item in listed
        }

    def environment(self, bucket: str) -> dict[str, str]:
        """What an app process needs to keep its uploads in ``bucket``."""
        return {
            **CREDENTIALS,
            "PURPOSEFUL_S3_BUCKET": bucket,
            "PURPOSEFUL_S3_ENDPOINT_URL": self.endpoint,
            "PURPOSEFUL_S3_REGION": REGION,
        }

"""The fault tests share one running cluster (tests/faults/running_cluster.py)."""

from tests.faults.running_cluster import running_cluster  # noqa: F401  (the fixture)

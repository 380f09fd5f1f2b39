"""The job the worker runs: imported by both the web process (to enqueue) and the worker."""
import os


def add(a, b):
    return {"sum": a + b, "ran_on": os.environ.get("DYNO")}

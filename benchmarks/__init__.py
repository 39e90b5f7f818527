"""The benchmark harness: bench data, dashboards against DuckDB, the autosave under load.

Nothing here is imported by the project: the bench runs with its own settings module
(`benchmarks.settings`) against its own databases (see README.md).
"""

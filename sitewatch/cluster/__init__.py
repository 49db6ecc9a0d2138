"""Agents on a distributed task queue: jobs, the one writer, and the merge of their results."""

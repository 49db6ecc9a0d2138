"""Content-check findings for the rules and the report (reads `content_findings`)."""

"""Scrapy extensions of the sitewatch crawl (enabled in crawler/settings.py)."""

"""Content checks (严重表述错误 / 错敏信息) on crawled pages, run during the crawl.

`scanner.ContentScanner` matches a page's text against the group's leader list, the confusion
dictionary (wrong word → right word), the group's sensitive words and classified markings, and
looks for exposed personal data; `middleware.ContentScanMiddleware` runs it on every detail page
(and cheap attachments) and `store.ContentStore` keeps the findings in `content_findings`.
See docs/content-checks.md.
"""

"""The monitoring console: a small Starlette application over the same analysis functions as
`check`, `stats` and the report (server-rendered Jinja pages, no front-end build step)."""

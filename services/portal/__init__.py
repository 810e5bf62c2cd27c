"""The web portal: server-rendered pages (Jinja2) over the gateway's public HTTP API only.

It holds no business rule and touches no database or gRPC stub: every page asks the API, as the
signed-in person, and shows what the API answers. See docs/portal.md.
"""

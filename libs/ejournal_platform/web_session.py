"""The browser session's cookie and header names, shared by the gateway (which sets and checks them)
and the web portal it serves (whose pages send them back)."""

ACCESS_COOKIE = "ej_access"
REFRESH_COOKIE = "ej_refresh"
CSRF_COOKIE = "ej_csrf"
CSRF_HEADER = "x-csrf-token"

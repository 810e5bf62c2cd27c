// The browser's calls to the gateway's API (same origin, cookie session).
// Unsafe methods echo the session's CSRF token; an expired access token is refreshed once.
// Errors come back as ApiProblem (the problem+json body), so pages can word them.

export class ApiProblem extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }
}

// The session ended and could not be renewed: the page keeps what was typed and asks to sign in.
export class SignInNeeded extends Error {}

function csrfToken() {
  const found = document.cookie.match(/(?:^|;\s*)ej_csrf=([^;]*)/);
  return found ? decodeURIComponent(found[1]) : "";
}

async function send(method, path, body, headers) {
  const sent = { Accept: "application/json", "Accept-Language": document.documentElement.lang, ...headers };
  if (method !== "GET") sent["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) sent["Content-Type"] = "application/json";
  return fetch(path, {
    method, headers: sent, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function refresh() {
  const response = await send("POST", "/api/v1/session/refresh", {}, {});
  return response.ok;
}

// One API call. A dropped connection rejects with a TypeError (fetch's own), left to the caller,
// which knows whether the call may be retried (a write with an Idempotency-Key may).
export async function call(method, path, { body, headers = {} } = {}) {
  let response = await send(method, path, body, headers);
  if (response.status === 401) {
    if (!(await refresh())) throw new SignInNeeded();
    response = await send(method, path, body, headers);
    if (response.status === 401) throw new SignInNeeded();
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiProblem(response.status, data, response.headers.get("Retry-After"));
  return { data, headers: response.headers };
}

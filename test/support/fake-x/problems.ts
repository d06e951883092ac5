// X API v2 error bodies ("problems", https://docs.x.com/x-api/fundamentals/response-codes-and-errors),
// shaped as X sends them; the client surfaces them as ApiResponseError.data.

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function problem(status: number, title: string, detail: string, type = 'about:blank'): Answer {
  return { status, body: { title, detail, type, status } };
}

/** 400: a query parameter or body field was invalid. */
export function invalidRequest(message: string, parameters: Record<string, string[]>): Answer {
  return {
    status: 400,
    body: {
      errors: [{ parameters, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

export const unauthorized = (): Answer => ({
  status: 401,
  body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
});

export const unsupportedAuthentication = (): Answer =>
  problem(
    403,
    'Unsupported Authentication',
    'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
    'https://api.twitter.com/2/problems/unsupported-authentication',
  );

export const forbidden = (detail: string): Answer => ({
  status: 403,
  body: { detail, type: 'about:blank', title: 'Forbidden', status: 403 },
});

export const DUPLICATE_CONTENT = 'You are not allowed to create a Tweet with duplicate content.';

export const tooManyRequests = (): Answer => problem(429, 'Too Many Requests', 'Too Many Requests');

const SERVER_TITLES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
export const serverError = (status: number): Answer => {
  const title = SERVER_TITLES[status] ?? 'Internal Server Error';
  return problem(status, title, title);
};

export const notFoundRoute = (path: string): Answer =>
  problem(404, 'Not Found Error', `Could not find the requested route ${path}`, 'https://api.twitter.com/2/problems/resource-not-found');

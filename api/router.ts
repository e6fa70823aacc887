/**
 * Every route group is an `OpenAPIHono` made here, so all share one validation rule: a request that fails its zod
 * schema (wrong types, unknown fields, out-of-range values) is a 400 problem listing each field's issue.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { ApiEnv } from './env.ts';
import { HttpProblem } from './problem.ts';

const WHERE: Record<string, string> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
  form: 'form',
};

export function validationProblem(target: string, error: ZodError): HttpProblem {
  const where = WHERE[target] ?? target;
  const errors = error.issues.slice(0, 20).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  return new HttpProblem(
    400,
    first ? `Invalid request ${where}: ${first.path} ${first.message}` : `Invalid request ${where}`,
    {
      type: 'https://afinewinedynasty.com/problems/validation',
      errors,
    },
  );
}

export function createRouter(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.target, result.error);
    },
  });
}

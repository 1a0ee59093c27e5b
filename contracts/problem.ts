/**
 * RFC 9457 problem details with the SPEC's extra `code` member (SPEC §4): the one error shape of the
 * kiosk's API and the hub's, built here so both write it the same way.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: unknown;
  /** SPEC §1a: where and when a slip this office holds as paid was paid. */
  paid?: PaidSlipInfo;
}

export interface PaidSlipInfo {
  paidAt: string;
  kiosk: string;
  total: number;
  reprint: boolean;
}

export function problemBody(
  status: number,
  code: string,
  title: string,
  detail?: string,
  errors?: unknown,
): Problem {
  const body: Problem = { type: `urn:oplatomat:problem:${code.toLowerCase()}`, title, status, code };
  if (detail) body.detail = detail;
  if (errors !== undefined) body.errors = errors;
  return body;
}

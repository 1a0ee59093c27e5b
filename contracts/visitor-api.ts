/**
 * Request shapes of the visitor API (SPEC §4) and of the cash desk's basket (SPEC §10), typed once
 * with the JSON schemas the daemon validates them with at its edge.
 */

/** A catalog service in a basket: `POST /api/basket` items and a cash desk's added services. */
export interface ServiceItemRequest {
  code: string;
  quantity?: number;
  /** Grosze, for a service with a visitor-entered amount. */
  amount?: number;
  reference?: string;
}

/** A slip in a basket: its `OPL1` payload. */
export interface SlipItemRequest {
  slip: string;
}

/** `POST /api/basket`. */
export interface BasketRequest {
  items: Array<ServiceItemRequest | SlipItemRequest>;
}

/** `POST /api/scan` and `POST /api/session/slips`. */
export interface ScanRequest {
  payload: string;
}

export const SERVICE_ITEM_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["code"],
  properties: {
    code: { type: "string", pattern: "^[A-Z0-9_]{1,16}$" },
    quantity: { type: "integer", minimum: 1, maximum: 99 },
    amount: { type: "integer", minimum: 1, maximum: 999999999 },
    reference: { type: "string", maxLength: 40 },
  },
} as const;

export const SLIP_ITEM_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["slip"],
  properties: { slip: { type: "string" } },
} as const;

/** A list of 1 to 20 basket items of the given schema. */
function itemsRequest<T extends object>(items: T) {
  return {
    type: "object",
    additionalProperties: false,
    required: ["items"],
    properties: { items: { type: "array", minItems: 1, maxItems: 20, items } },
  } as const;
}

/** `POST /api/basket`: services and slips. */
export const BASKET_REQUEST_SCHEMA = itemsRequest({ anyOf: [SERVICE_ITEM_SCHEMA, SLIP_ITEM_SCHEMA] });

/** The cash desk's `POST /api/session/services`: services added to the open basket. */
export const SERVICES_REQUEST_SCHEMA = itemsRequest(SERVICE_ITEM_SCHEMA);

export const SCAN_REQUEST_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["payload"],
  // No type or length limits here: a payload that cannot be a slip (empty, over-long, not even text:
  // `5`, `null`, an array) is SLIP_UNREADABLE, 422 and never 400 (SPEC §1), which the slip checks
  // say; the body limit still bounds what is read.
  properties: {
    payload: { description: "The code as read, as text; anything else is SLIP_UNREADABLE" },
  },
} as const;

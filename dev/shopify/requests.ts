// What the stand-in checks in every Admin GraphQL request before answering it, as Shopify
// would: the document against the published schema of the app's API version, the variables
// against the operation's declared types, and the documented limits of the calls the app makes.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, getVariableValues, Kind, parse, validate, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { getArgumentValues } from "graphql/execution/values";

export const API_VERSION = "2025-10";

let schema: GraphQLSchema | undefined;
/** Shopify's published Admin schema for API_VERSION (an introspection result shipped with @shopify/dev-mcp). */
export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const file = new URL(`../../node_modules/@shopify/dev-mcp/dist/data/admin_${API_VERSION}.json.gz`, import.meta.url);
    schema = buildClientSchema(JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")).data);
  }
  return schema;
}

export type GraphqlRequest = { query: string; variables: Record<string, unknown>; operationName?: string };

/** A request Shopify would not have carried out: `errors` is what it answers instead. */
export class RefusedRequest extends Error {
  constructor(readonly errors: { message: string; extensions?: object }[]) {
    super(errors.map((error) => error.message).join("\n"));
  }
}

/** The request body parsed and checked; throws RefusedRequest with Shopify's errors when it would fail there. */
export function checkAdminRequest(raw: string): GraphqlRequest {
  let body: Partial<GraphqlRequest>;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new RefusedRequest([{ message: "Invalid JSON in request body" }]);
  }
  if (typeof body.query !== "string") throw new RefusedRequest([{ message: "Parameter Missing or Invalid: query" }]);
  let document;
  try {
    document = parse(body.query);
  } catch (error) {
    throw new RefusedRequest([{ message: (error as Error).message, extensions: { code: "PARSE_ERROR" } }]);
  }
  const invalid = validate(adminSchema(), document);
  if (invalid.length > 0) throw new RefusedRequest(invalid.map((error) => ({ message: error.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })));
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = body.operationName ? operations.find((o) => o.name?.value === body.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) throw new RefusedRequest([{ message: "An operation name is required" }]);
  const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], body.variables ?? {});
  if (coerced.errors) throw new RefusedRequest(coerced.errors.map((error) => ({ message: error.message, extensions: { code: "INVALID_VARIABLE" } })));
  checkLimits(operation, coerced.coerced);
  return { query: body.query, variables: body.variables ?? {}, operationName: body.operationName };
}

const MAX_METAFIELDS_PER_SET = 25;

type MetafieldInput = { ownerId: string; namespace?: string; key: string; type?: string; value: string };

/** The documented limits of the mutations the app calls, on their arguments as Shopify coerces them. */
function checkLimits(operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  if (operation.operation !== "mutation") return;
  const fields = adminSchema().getMutationType()!.getFields();
  for (const node of operation.selectionSet.selections) {
    if (node.kind !== Kind.FIELD || node.name.value !== "metafieldsSet") continue;
    const { metafields } = getArgumentValues(fields.metafieldsSet!, node as FieldNode, variables) as { metafields: MetafieldInput[] };
    if (metafields.length > MAX_METAFIELDS_PER_SET) {
      throw new RefusedRequest([
        {
          message: `The input array size of ${metafields.length} is greater than the maximum allowed of ${MAX_METAFIELDS_PER_SET}.`,
          extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
        },
      ]);
    }
    const problems = metafields.flatMap((m, i) => metafieldProblems(m).map((problem) => `metafields[${i}] (${m.namespace}.${m.key}): ${problem}`));
    if (problems.length > 0) throw new RefusedRequest(problems.map((message) => ({ message, extensions: { code: "INVALID_VALUE" } })));
  }
}

const isNumber = (text: unknown) => typeof text === "string" && /^-?\d+(\.\d+)?$/.test(text);

/** The value formats Shopify documents for the metafield types (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types). */
const VALUE_CHECKS: Record<string, (value: string) => string | null> = {
  single_line_text_field: (value) => (/[\r\n]/.test(value) ? "a single line of text has no line breaks" : null),
  multi_line_text_field: () => null,
  boolean: (value) => (value === "true" || value === "false" ? null : "a boolean is true or false"),
  number_integer: (value) => (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? null : "an integer is whole digits"),
  number_decimal: (value) => (isNumber(value) ? null : "a decimal is digits with an optional fraction"),
  json: (value) => {
    try {
      JSON.parse(value);
      return null;
    } catch {
      return "json must parse";
    }
  },
  rating: (value) => {
    let rating: Record<string, unknown>;
    try {
      rating = JSON.parse(value);
    } catch {
      return "a rating is JSON";
    }
    const { value: stars, scale_min: min, scale_max: max } = rating ?? {};
    if (![stars, min, max].every(isNumber)) return "a rating has value, scale_min and scale_max as decimal strings";
    if (!(Number(min) < Number(max) && Number(min) <= Number(stars) && Number(stars) <= Number(max))) return "a rating's value lies within its scale";
    return null;
  },
};

function metafieldProblems(m: MetafieldInput): string[] {
  const problems: string[] = [];
  if (m.key.length < 2 || m.key.length > 64) problems.push("key is 2 to 64 characters");
  if (m.namespace !== undefined && (m.namespace.length < 3 || m.namespace.length > 255)) problems.push("namespace is 3 to 255 characters");
  const check = m.type ? VALUE_CHECKS[m.type] : undefined;
  if (!check) problems.push(`the stand-in knows no metafield type ${JSON.stringify(m.type)}: add its check`);
  else {
    const problem = check(m.value);
    if (problem) problems.push(`${problem} (got ${JSON.stringify(m.value)})`);
  }
  return problems;
}

/** The cost block Shopify appends to every Admin GraphQL answer. */
export function costExtension() {
  return {
    cost: {
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 },
    },
  };
}

/**
 * Shopify's answer when the app's bucket is too low for a query (HTTP 200): a THROTTLED error,
 * nothing done, and the cost block showing less available than the query asked for.
 */
export function throttled(requestedQueryCost = 10) {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: {
      cost: {
        requestedQueryCost,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: Math.max(0, requestedQueryCost - 8), restoreRate: 100 },
      },
    },
  };
}

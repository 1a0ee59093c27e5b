/**
 * Route schemas compiled on first use instead of at start (issue 17). fastify compiles every route's
 * request validator (ajv) and response serializer (fast-json-stringify) when the application gets
 * ready: about 150 ms of the daemon's start, and ajv's loading, for routes most kiosks call rarely
 * (the service console, reports, the admin API). These factories give fastify, per route, a function
 * that compiles with fastify's own default compilers the first time it is called and forwards to the
 * result from then on. Validation is the same; a broken schema fails its route's first request (500)
 * instead of the start, which the route tests exercise.
 */
import { createRequire } from "node:module";
import type { FastifyServerOptions } from "fastify";

type Factories = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;
type ValidatorFactory = NonNullable<Factories["buildValidator"]>;
type SerializerFactory = NonNullable<Factories["buildSerializer"]>;
type RouteDefinition = Parameters<ReturnType<ValidatorFactory>>[0];
type Validate = ((data: unknown, context?: object) => unknown) & { errors?: unknown };

// fastify's default compilers, resolved from fastify itself: the versions it was released with.
const fromFastify = createRequire(createRequire(import.meta.url).resolve("fastify"));
let defaultValidators: ValidatorFactory | undefined;
let defaultSerializers: SerializerFactory | undefined;

/** Compiles a route's validator when it first validates a request. */
const buildValidator = ((externalSchemas: unknown, options: unknown) => (route: RouteDefinition) => {
  let validate: Validate | undefined;
  const lazy: Validate & { schemaEnv?: boolean } = (data, context) => {
    if (!validate) {
      defaultValidators ??= (fromFastify("@fastify/ajv-compiler") as () => ValidatorFactory)();
      const compile = (defaultValidators as (e: unknown, o: unknown) => (r: RouteDefinition) => Validate)(
        externalSchemas,
        options,
      );
      validate = compile(route.httpPart === "headers" ? lowerCaseHeaders(route) : route);
    }
    const result = validate(data, context);
    lazy.errors = validate.errors;
    return result;
  };
  // fastify passes the request as the validated part's parent only to an ajv function (marked by
  // schemaEnv), so that a root value ajv replaces (coercion, defaults) reaches the request.
  lazy.schemaEnv = true;
  return lazy;
}) as unknown as ValidatorFactory;

/** Compiles a route's response serializer when it first serializes a response. */
const buildSerializer = ((externalSchemas: unknown, options: unknown) => (route: unknown) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data: unknown) => {
    if (!serialize) {
      defaultSerializers ??= (
        fromFastify("@fastify/fast-json-stringify-compiler") as () => SerializerFactory
      )();
      const compile = (
        defaultSerializers as (e: unknown, o: unknown) => (r: unknown) => (d: unknown) => string
      )(externalSchemas, options);
      serialize = compile(route);
    }
    return serialize(data);
  };
}) as unknown as SerializerFactory;

/**
 * Header names are case-insensitive and Node hands them over in lower case; fastify lowers a header
 * schema's names itself only for its default compiler, so this does it for the lazy one.
 */
function lowerCaseHeaders(route: RouteDefinition): RouteDefinition {
  const schema = route.schema as { properties?: Record<string, unknown>; required?: string[] };
  if (typeof schema !== "object" || schema === null) return route;
  const lowered: Record<string, unknown> = { ...schema };
  if (schema.properties)
    lowered["properties"] = Object.fromEntries(
      Object.entries(schema.properties).map(([name, s]) => [name.toLowerCase(), s]),
    );
  if (Array.isArray(schema.required)) lowered["required"] = schema.required.map((n) => n.toLowerCase());
  return { ...route, schema: lowered } as RouteDefinition;
}

/** fastify's `schemaController` option that compiles route schemas on first use. */
export const lazySchemaController: FastifyServerOptions["schemaController"] = {
  compilersFactory: { buildValidator, buildSerializer },
};

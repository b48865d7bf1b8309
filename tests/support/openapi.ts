// Checks API answers against docs/openapi.yaml, so the document says what the API really answers.
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";

type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
};

const doc = parse(fs.readFileSync(path.resolve(__dirname, "../../docs/openapi.yaml"), "utf8")) as Doc &
  Record<string, unknown>;
// OpenAPI 3.1 schemas are JSON Schema 2020-12; `example` is an annotation, formats are not checked here.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ ...doc, $id: "openapi" });

/** Throws with the validator's messages unless `body` matches the documented JSON answer. */
export function assertDocumented(method: "get" | "post", apiPath: string, status: number, body: unknown): void {
  const operation = doc.paths[apiPath]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${apiPath} is not in docs/openapi.yaml`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${apiPath} → ${status} is not in docs/openapi.yaml`);
  if (!response.content?.["application/json"]?.schema)
    throw new Error(`${method.toUpperCase()} ${apiPath} → ${status} has no JSON schema`);
  const pointer = `openapi#/paths/${apiPath.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  if (!validate(body))
    throw new Error(
      `${method.toUpperCase()} ${apiPath} → ${status} differs from docs/openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
}

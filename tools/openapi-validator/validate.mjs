// Checks an OpenAPI document (a file, or "-" for standard input) against the official OpenAPI meta-schema
// of its version (3.1 here) and checks that every $ref resolves. Prints "valid: …" and exits 0, or prints
// each error of the meta-schema (its JSON pointer and message) and exits 1.
// Used by tests/Api.Tests/OpenApiValidatorTests on openapi.yaml and on the document the service serves.
import { readFileSync } from "node:fs";
import { argv, exit } from "node:process";
import { Validator } from "@seriousme/openapi-schema-validator";

const source = argv[2];
if (!source) {
	console.error("usage: node validate.mjs <openapi.yaml|openapi.json|->");
	exit(2);
}

// Given text containing a line break, the validator parses it; given a single line, it reads a file of that name.
const text = readFileSync(source === "-" ? 0 : source, "utf-8");
// allErrors: report every mismatch, not only the first.
const validator = new Validator({ allErrors: true });
const result = await validator.validate(text.includes("\n") ? text : `${text}\n`);
if (!result.valid) {
	console.log(`invalid: ${source} does not match the OpenAPI meta-schema`);
	for (const error of Array.isArray(result.errors) ? result.errors : [result.errors]) {
		console.log(typeof error === "string" ? error : `${error.instancePath || "/"}: ${error.message} ${JSON.stringify(error.params)}`);
	}
	exit(1);
}

try {
	validator.resolveRefs();
} catch (error) {
	console.log(`invalid: ${source}: ${error.message}`);
	exit(1);
}

console.log(`valid: ${source} is OpenAPI ${validator.specificationVersion} (meta-schema ${validator.version}), every $ref resolves`);

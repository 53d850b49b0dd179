import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderRouteIndex, ROUTE_INDEX_FILE } from "@/lib/openapi/route-index";

// Rewrites the list of route modules the OpenAPI document is built from (npm run openapi:routes).
const root = path.resolve(import.meta.dirname, "..");
writeFileSync(path.join(root, ROUTE_INDEX_FILE), renderRouteIndex(root));
console.log(`wrote ${ROUTE_INDEX_FILE}`);

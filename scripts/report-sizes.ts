// Prints the raw and gzip size of every file a build wrote (npm run build).
import { outputSizes, formatSizes } from "./lib/sizes.ts";

console.log(formatSizes(outputSizes(process.argv[2] ?? "dist")));

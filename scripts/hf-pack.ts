// npm run hf-pack -- <command> …: the official packer from the crate package, e.g.
// `npm run hf-pack -- metadata dist/<id>-<version>.hfpkg --pretty`.
import { runHfPack } from "./lib/hfPack.ts";

process.exit(runHfPack(process.argv.slice(2), process.cwd()));

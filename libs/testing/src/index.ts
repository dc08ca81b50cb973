export { deterministicBytes, writeDeterministicFile, writeFileTree, type FileSpec } from './deterministic-content';
export { libtorrentCreate, libtorrentCreateInvocation, libtorrentInspect, type LibtorrentCreateOptions, type LibtorrentCreated, type LibtorrentFile, type LibtorrentInfo, type ReferenceVersion } from './libtorrent';
export { mktorrent, mktorrentArgs, type MktorrentOptions } from './mktorrent';
export { pythonScriptInvocation, runPythonScript, systemPython } from './python-script';
export { runTool, type RunToolOptions, type ToolResult } from './run-tool';
export { createTempDir, withTempDir, type TempDir } from './temp-dir';
export { ToolFailedError, ToolMissingError, ToolTimeoutError } from './tool-errors';
export { parseTransmissionShow, transmissionCreate, transmissionCreateArgs, transmissionShow, type TransmissionCreateOptions, type TransmissionShown } from './transmission';

export { type HashPeer, HashService, type HashServiceHooks } from './hash-service';
export { HASH_REQUEST_TIMEOUT_MS, type HashesOutcome, PieceLayerFetch } from './piece-layer-fetch';
export { PieceLayerTree, provenRange, rangeProblem, type TreeShape, treeShape } from './piece-layer-tree';

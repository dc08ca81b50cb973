export { type FileState, type FileStateSource, FileStore, type FileStoreOptions, type KnownEmptySource } from './file-store';
export { type LoadVerifiedOptions, type LoadVerifiedResult, loadVerifiedPieces, type PieceVerifierLike, recheck, type RecheckOptions } from './load-verified';
export { MemoryPieceStore } from './memory-store';
export { type PieceStore, StorageError, type StorageErrorCode } from './piece-store';
export { PieceVerifier } from './piece-verifier';
export type { Preallocation } from './prepare-files';
export { ReadCache, type ReadCacheOptions } from './read-cache';
export { readResumeData, type ResumeRead, saveResumeData, type SaveResumeOptions } from './resume-file';
export type { ResumeData, ResumeDecoded } from './resume-data';

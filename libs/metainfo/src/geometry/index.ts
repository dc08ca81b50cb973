export { filePieceRange, type PieceIndexRange, v2PieceLocation } from './file-pieces';
export type { ByteRange, PieceLayout } from './layout';
export { lastPieceSize, pieceRange, pieceSize } from './piece-range';
export { type FileSpan, pieceSpans } from './piece-spans';

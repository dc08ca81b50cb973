export { type AddMagnetOptions, type MagnetEvents, type MagnetSessionLink, type MagnetState, MagnetTorrent } from './magnet-torrent';
export { type FetchedMetadata, MetadataDownload, type MetadataDownloadOptions } from './metadata-download';
export { MetadataError, type MetadataErrorCode } from './metadata-error';
export { MetadataFetcher, type MetadataFetcherOptions, type MetadataSource } from './metadata-fetcher';
export { MetadataServer, type MetadataServerOptions } from './metadata-server';
export { metainfoFromMagnet, torrentFileFor } from './torrent-file';
export { type ExpectedInfoHashes, infoMatches } from './verify-info';

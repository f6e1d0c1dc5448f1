export { TarballError, isTarballError } from './errors.js';
export type { TarballErrorCode, TarballErrorInit } from './errors.js';
export { SERVER_TARBALL_NAME, SERVER_BIN_DIR, REQUIRED_SERVER_BINARIES, requiredBinaryPaths } from './layout.js';
export type { ServerBinary } from './layout.js';

export { findServerTarball, serverTarballCandidates } from './find.js';
export type { FindServerTarballOptions, FoundServerTarball } from './find.js';
export { inspectServerTarball, normaliseEntryPath, formatMode } from './inspect.js';
export type { InspectOptions, ServerTarballInspection, TarballEntrySummary } from './inspect.js';
export { DigestAccumulator, DigestTap } from './digest.js';
export type { TarballDigests } from './digest.js';
export { buildServerTarball, planArchive, writeReproducibleTarball } from './build.js';
export type { ArchiveFile, BuildServerTarballOptions, BuiltTarball, ReproducibleArchiveOptions } from './build.js';
export { buildStandInRelease, standInFiles, standInLabel, standInScript, STAND_IN_LABEL_PATH } from './stand-in.js';
export type { StandInReleaseOptions } from './stand-in.js';

export { TarParser, createTarParserStream } from './tar/reader.js';
export type { TarEntry, TarParserHandlers } from './tar/reader.js';
export { tarStream, encodeEntryHeader, DEFAULT_RECORD_SIZE } from './tar/writer.js';
export type { TarSource, TarWriteEntry } from './tar/writer.js';
export { ReproducibleGzip } from './tar/gzip.js';
export { TarFormatError } from './tar/header.js';

export { fetchRelease, releaseUrls, releaseCacheDir, validateReleaseVersion, parseSha512File, raxKubeHome, DEFAULT_RELEASE_BASE_URL } from './fetch.js';
export type { FetchReleaseOptions, FetchedRelease } from './fetch.js';
export { ProgressMeter } from './progress.js';
export type { TransferProgress, ProgressListener, ProgressMeterOptions } from './progress.js';

export { uploadServerTarball, planUpload, remoteMatches, defaultReleaseContainer, releaseObjectName, DEFAULT_CONTAINER_PREFIX, DEFAULT_SEGMENT_SIZE, DEFAULT_SEGMENT_CONCURRENCY, SWIFT_DEFAULT_MAX_FILE_SIZE } from './upload.js';
export type { ObjectStorage, UploadProgress, UploadServerTarballOptions, UploadedTarball } from './upload.js';
export { ensureTempUrlKey, createReleaseTempUrl, redactTempUrl, DEFAULT_TEMP_URL_TTL_SECONDS } from './temp-url.js';
export type { TempUrlKey, ReleaseTempUrlOptions, ReleaseTempUrl } from './temp-url.js';

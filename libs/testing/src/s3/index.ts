export { ACCESS_DENIED, INTERNAL_ERROR, SLOW_DOWN, startFaultProxy, type FaultAction, type FaultProxy, type ProxiedRequest } from './fault-proxy';
export { startS3rver, type RunningS3rver, type S3rverOptions } from './start-s3rver';

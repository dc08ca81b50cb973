export { startS3rver, type RunningS3rver, type S3rverOptions } from './start-s3rver';

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Shapes for the OpenAPI document (/api/docs-json); validation is done by the services, not these classes. */
export class ErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'version: "1 2" does not match ^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$' }) message!: string;
}

export class CreateProductDto {
  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', example: 'my-app' }) name!: string;
  @ApiPropertyOptional({ type: [String], example: ['stable', 'beta'], description: 'default: stable, beta' }) channels?: string[];
}

export class ProductDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) channels!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ReleaseSourceDto {
  @ApiPropertyOptional({ type: [String], description: 'existing object keys; each becomes the file named by its last segment' }) keys?: string[];
  @ApiPropertyOptional({ description: 'every object below this prefix (ending in "/"), paths relative to it' }) prefix?: string;
}

export class CreateReleaseDto {
  @ApiProperty({ example: 'my-app' }) product!: string;
  @ApiProperty({ pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$', example: '1.2.3' }) version!: string;
  @ApiPropertyOptional({ default: 'stable' }) channel?: string;
  @ApiPropertyOptional({ default: false, description: 'public torrent (mirrors, any BitTorrent client) instead of a private fleet release' }) public?: boolean;
  @ApiPropertyOptional({ type: ReleaseSourceDto, description: 'copy files from the object store and queue the build; without it, upload files with PUT' }) source?: ReleaseSourceDto;
}

export class ReleaseFileDto {
  @ApiProperty({ example: 'bin/app' }) path!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'hex SHA-256' }) sha256!: string;
}

export class BuildProgressDto {
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: ['hashing', 'writing', 'done'] }) phase!: string;
  @ApiProperty() bytesDone!: number;
  @ApiProperty() bytesTotal!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
}

export class ReleaseDto {
  @ApiProperty({ example: 'rel_01jd3v2w8k7q4m9x2b6c5n1p0r' }) id!: string;
  @ApiProperty() product!: string;
  @ApiProperty() version!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() public!: boolean;
  @ApiProperty({ enum: ['uploading', 'queued', 'building', 'ready', 'failed', 'retired'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional({ type: BuildProgressDto }) build?: BuildProgressDto;
  @ApiProperty({ type: [ReleaseFileDto] }) files!: ReleaseFileDto[];
  @ApiProperty() torrentName!: string;
  @ApiPropertyOptional() infoHashV1?: string;
  @ApiPropertyOptional() infoHashV2?: string;
  @ApiPropertyOptional() pieceLength?: number;
  @ApiProperty() torrentUrl!: string;
  @ApiPropertyOptional() magnet?: string;
  @ApiProperty() manifestUrl!: string;
  @ApiProperty() webSeedUrl!: string;
}

export class ReleaseListDto {
  @ApiProperty({ type: [ReleaseDto] }) items!: ReleaseDto[];
}

export class ProductListDto {
  @ApiProperty({ type: [ProductDto] }) items!: ProductDto[];
}

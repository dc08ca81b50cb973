import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CreateReleaseDto, ErrorDto, ReleaseDto, ReleaseFileDto, ReleaseListDto } from '../api/api-docs';
import { AdminGuard } from '../auth/admin.guard';
import type { Release, ReleaseFile } from './release.model';
import { ReleaseRepository } from './release.repository';
import { ReleaseUploads } from './release-uploads';
import { ReleasesService } from './releases.service';

/** Segments of `/api/releases/<id>/files/` before the file path, which is taken raw from the URL (ReleaseUploads decodes and validates it). */
const SEGMENTS_BEFORE_PATH = 5;

@ApiTags('releases')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorDto, description: 'missing or wrong admin token' })
@ApiResponse({ status: 400, type: ErrorDto, description: 'invalid input; the message names the field' })
@UseGuards(AdminGuard)
@Controller('api/releases')
export class ReleasesController {
  constructor(
    private readonly service: ReleasesService,
    private readonly uploads: ReleaseUploads,
    private readonly releases: ReleaseRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ type: CreateReleaseDto })
  @ApiCreatedResponse({ type: ReleaseDto, description: 'status uploading, or queued when created from existing objects' })
  @ApiResponse({ status: 404, type: ErrorDto, description: 'unknown product' })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'the product already has this version' })
  create(@Body() body: unknown): Promise<Release> {
    return this.service.create(body);
  }

  @Get()
  @ApiQuery({ name: 'product', required: false })
  @ApiQuery({ name: 'channel', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['uploading', 'queued', 'building', 'ready', 'failed', 'retired'] })
  @ApiOkResponse({ type: ReleaseListDto, description: 'newest first' })
  async list(@Query() query: Record<string, unknown>): Promise<{ items: Release[] }> {
    return { items: await this.service.list(query) };
  }

  @Get(':id')
  @ApiOkResponse({ type: ReleaseDto, description: 'the record, with build progress while it builds' })
  @ApiResponse({ status: 404, type: ErrorDto })
  get(@Param('id') id: string): Promise<Release> {
    return this.releases.require(id);
  }

  @Put(':id/files/*path')
  @HttpCode(201)
  @ApiParam({ name: 'path', description: 'the file path inside the release, e.g. bin/app (percent-encode special characters)' })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ description: 'the file bytes, streamed (at most MAX_UPLOAD_BYTES)', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: ReleaseFileDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'the release is no longer uploading' })
  @ApiResponse({ status: 413, type: ErrorDto, description: 'larger than MAX_UPLOAD_BYTES' })
  upload(@Param('id') id: string, @Req() request: IncomingMessage & { originalUrl?: string }): Promise<ReleaseFile> {
    const pathname = (request.originalUrl ?? request.url ?? '').split('?')[0];
    const rawPath = pathname.split('/').slice(SEGMENTS_BEFORE_PATH).join('/');
    return this.uploads.upload(id, rawPath, request);
  }

  @Post(':id/build')
  @HttpCode(202)
  @ApiResponse({ status: 202, type: ReleaseDto, description: 'queued (or already queued, building or ready)' })
  build(@Param('id') id: string): Promise<Release> {
    return this.service.build(id);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @ApiOkResponse({ type: ReleaseDto, description: 'retired; the tracker forgets its info hashes' })
  retire(@Param('id') id: string): Promise<Release> {
    return this.service.retire(id);
  }
}

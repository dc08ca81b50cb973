import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CreateProductDto, ErrorDto, ProductDto, ProductListDto } from '../api/api-docs';
import { badRequest } from '../api/api-error';
import { CHANNEL_PATTERN, matching, PRODUCT_NAME_PATTERN, rejectUnknownFields, requireObject } from '../api/validation';
import { AdminGuard } from '../auth/admin.guard';
import { DEFAULT_CHANNELS, type Product } from './product.model';
import { ProductRepository } from './product.repository';

const MAX_CHANNELS = 32;

@ApiTags('products')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorDto, description: 'missing or wrong admin token' })
@UseGuards(AdminGuard)
@Controller('api/products')
export class ProductsController {
  constructor(private readonly products: ProductRepository) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ type: CreateProductDto })
  @ApiCreatedResponse({ type: ProductDto })
  @ApiResponse({ status: 409, type: ErrorDto, description: 'a product with this name exists' })
  create(@Body() body: unknown): Promise<Product> {
    const input = requireObject(body, 'product');
    rejectUnknownFields(input, ['name', 'channels'], 'product');
    const name = matching(input.name, 'name', PRODUCT_NAME_PATTERN, 'my-app');
    return this.products.create({ name, channels: channels(input.channels), createdAt: new Date().toISOString() });
  }

  @Get()
  @ApiOkResponse({ type: ProductListDto })
  async list(): Promise<{ items: Product[] }> {
    return { items: await this.products.list() };
  }

  @Get(':name')
  @ApiOkResponse({ type: ProductDto })
  @ApiResponse({ status: 404, type: ErrorDto })
  get(@Param('name') name: string): Promise<Product> {
    return this.products.require(name);
  }
}

function channels(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_CHANNELS];
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CHANNELS) throw badRequest(`channels: expected 1 to ${MAX_CHANNELS} channel names`);
  const names = value.map((channel, index) => matching(channel, `channels[${index}]`, CHANNEL_PATTERN, 'stable'));
  if (new Set(names).size !== names.length) throw badRequest('channels: listed twice');
  return names;
}
